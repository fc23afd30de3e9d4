namespace UniLink.Features.AgentBots;

/// <summary>An agent bot's fields as a write gives them (the account API's and the Platform API's alike); null leaves a field as it is.</summary>
public sealed record AgentBotInput(string? Name, string? Description, string? OutgoingUrl, bool OutgoingUrlGiven, string? AvatarUrl) : IBodyInput<AgentBotInput>
{
    public static string? Wrapper => "agent_bot";

    /// <summary>Reads the fields from a body already unwrapped from "agent_bot"; a field of the wrong type is the body's problem.</summary>
    public static AgentBotInput From(RequestBody body, bool creating) =>
        new(body.String("name", AgentBotService.MaxName, required: creating) ?? (body.Has("name") ? "" : null), body.String("description", 2000),
            body.String("outgoing_url", 2048), body.Has("outgoing_url"), body.String("avatar_url", 2048));
}
