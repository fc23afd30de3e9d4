namespace UniLink.Features.Conversations;

/// <summary>
/// <c>POST …/conversations/{id}/toggle_status</c> as the reference takes it: a status (open, resolved, pending, snoozed;
/// none toggles between open and resolved) and, for a snooze, <c>snoozed_until</c> in unix seconds. Read unwrapped.
/// </summary>
public sealed record StatusChange(string? Status, long? SnoozedUntil) : IBodyInput<StatusChange>
{
    public static string? Wrapper => null;

    public static StatusChange From(RequestBody body, bool creating) => new(body.String("status", 32), body.Long("snoozed_until"));
}
