namespace UniLink.Features.Agents;

/// <summary>An agent to add; without a password the agent gets an invitation link.</summary>
public sealed record NewAgent(string? Name, string? Email, string? Role, string? Password) : IBodyInput<NewAgent>
{
    public static string Wrapper => "agent";
    public static bool StrictTypes => true;

    public static NewAgent From(RequestBody body, bool creating) =>
        new(body.Verbatim("name"), body.Verbatim("email"), body.Verbatim("role"), body.Verbatim("password"));
}

/// <summary>A partial update of an agent; null leaves a field as it is.</summary>
public sealed record AgentChanges(string? Name = null, string? Role = null, string? AvailabilityStatus = null, bool? AutoOffline = null)
    : IBodyInput<AgentChanges>
{
    public static string Wrapper => "agent";
    public static bool StrictTypes => true;

    public static AgentChanges From(RequestBody body, bool creating) =>
        new(body.Verbatim("name"), body.Verbatim("role"), body.Verbatim("availability") ?? body.Verbatim("availability_status"), body.Bool("auto_offline"));
}

public static class AgentRules
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public static readonly string[] Availabilities = ["online", "busy", "offline"];

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public static bool IsEmail(string? email) =>
        email is { Length: > 2 and <= 255 } e && e.Trim() is var t && t.IndexOf('@') is > 0 and var at && at < t.Length - 1
        && !t.Any(char.IsWhiteSpace);

    /// <summary>The reason a password is not acceptable, or null.</summary>
    public static string? PasswordProblem(string password) => password.Length switch
    {
        < MinPasswordLength => $"Password is too short (minimum is {MinPasswordLength} characters)",
        > MaxPasswordLength => $"Password is too long (maximum is {MaxPasswordLength} characters)",
        _ => null,
    };
}
