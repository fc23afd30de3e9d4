
namespace UniLink.Features.Agents;

/// <summary>A change to an account's team that was made: the member, and the one-time link when they have to set a password or accept.</summary>
public sealed record TeamChange(AccountUser Member, string? InvitationToken = null);
