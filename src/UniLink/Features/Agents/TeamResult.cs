using UniLink.Features.Accounts;

namespace UniLink.Features.Agents;

/// <summary>What a change to an account's team came to: done, refused with a reason, or no such member.</summary>
public abstract record TeamResult
{
    /// <summary><paramref name="InvitationToken"/> is set when the agent has to set a password through a link.</summary>
    public sealed record Done(AccountUser Member, string? InvitationToken = null) : TeamResult;

    public sealed record Rejected(string Message, string Attribute) : TeamResult;

    public sealed record Missing : TeamResult;
}
