
namespace UniLink.Features.Conversations;

/// <summary>
/// Marks a conversation seen for the agents whose dashboards show it: one write per conversation and agent for what
/// any number of their open dashboards show, not one per dashboard.
/// </summary>
/// <remarks>
/// Each write announces a change to every dashboard of the account; with an agent's conversation open in many
/// dashboards (or many agents on one conversation) a message used to cause a write, and a reload everywhere, per
/// dashboard — all of them contending for the database just when the message had to be shown.
/// </remarks>
public sealed class SeenMarks(IServiceScopeFactory scopes)
{
    private const int Remembered = 10_000;
    private readonly Lock _gate = new();
    /// <summary>Per (conversation id, agent): the write in flight or done, and the newest message time it covers.</summary>
    private readonly Dictionary<(int, int), (Task Write, DateTime Covers)> _marks = [];

    /// <param name="conversation">As just loaded: when it says the agent has seen <paramref name="newestShown"/> already, nothing is written.</param>
    /// <param name="newestShown">When the newest message the dashboard shows was created.</param>
    public async Task MarkAsync(Conversation conversation, int userId, DateTime newestShown)
    {
        if (conversation.AgentLastSeenAt >= newestShown && (conversation.AssigneeId != userId || conversation.AssigneeLastSeenAt >= newestShown)) return;
        var key = (conversation.Id, userId);
        Task write;
        lock (_gate)
        {
            if (_marks.TryGetValue(key, out var mark) && mark.Covers >= newestShown && !mark.Write.IsFaulted) write = mark.Write;
            else
            {
                if (_marks.Count >= Remembered) _marks.Clear();
                // The write stamps the time it runs, which is later than any message shown so far.
                write = WriteAsync(conversation, userId);
                _marks[key] = (write, UnixTime.Now());
            }
        }
        await write;
    }

    private async Task WriteAsync(Conversation conversation, int userId)
    {
        await Task.Yield();
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ConversationService>().MarkSeenAsync(conversation, userId);
    }
}
