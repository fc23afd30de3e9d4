using System.Collections.Concurrent;

namespace UniLink.Features.SignIn;

/// <summary>
/// Failed sign-ins counted per e-mail and client address (unknown e-mails alike, so the answer tells nothing about who
/// exists). After <see cref="FreeFailures"/> failures that pair waits before its next attempt, twice as long each time
/// (5 s, 10 s, 20 s … at most <see cref="MaxWait"/>); a success clears it. No account is ever locked: the same user
/// signing in from another address is not held up. Kept in each node's memory.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int FreeFailures = 5;
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Forget = TimeSpan.FromHours(1);

    private sealed record Entry(int Failures, DateTimeOffset Until, DateTimeOffset Last);

    private readonly ConcurrentDictionary<(string Email, string Source), Entry> _entries = new();

    /// <summary>How long this pair must still wait, or null when it may try now.</summary>
    public TimeSpan? WaitFor(string email, string source)
    {
        var now = clock.GetUtcNow();
        return _entries.TryGetValue((email, source), out var e) && e.Until > now ? e.Until - now : null;
    }

    public void Failed(string email, string source)
    {
        var now = clock.GetUtcNow();
        if (_entries.Count > 100_000) Prune(now);
        _entries.AddOrUpdate((email, source), _ => new Entry(1, now, now), (_, e) =>
        {
            var failures = now - e.Last > Forget ? 1 : e.Failures + 1;
            var wait = failures < FreeFailures ? TimeSpan.Zero
                : TimeSpan.FromSeconds(Math.Min(MaxWait.TotalSeconds, FirstWait.TotalSeconds * Math.Pow(2, Math.Min(failures - FreeFailures, 20))));
            return new Entry(failures, now + wait, now);
        });
    }

    public void Succeeded(string email, string source) => _entries.TryRemove((email, source), out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, e) in _entries)
            if (now - e.Last > Forget && e.Until < now) _entries.TryRemove(key, out _);
    }
}
