using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.CannedResponses;

/// <summary>Canned responses: search as the reference ranks it, and the writes the API and the settings page share.</summary>
public sealed class CannedResponseService(UniLinkDb db, LiveBus live)
{
    public const int MaxContent = 10_000;

    /// <summary>
    /// The account's canned responses; with a search, those whose short code or content holds it (any case), short codes
    /// starting with it first, then short codes holding it, then contents.
    /// </summary>
    public async Task<List<CannedResponse>> ListAsync(int accountId, string? search, CancellationToken ct = default)
    {
        var query = db.CannedResponses.AsNoTracking().Where(r => r.AccountId == accountId);
        if (string.IsNullOrEmpty(search)) return await query.OrderBy(r => r.Id).ToListAsync(ct);
        var s = search.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
        var matches = await query
            .Where(r => EF.Functions.Like(r.ShortCode.ToLower(), $"%{s}%", "\\") || EF.Functions.Like(r.Content.ToLower(), $"%{s}%", "\\"))
            .ToListAsync(ct);
        var lower = search.ToLowerInvariant();
        return matches
            .OrderByDescending(r => r.ShortCode.ToLowerInvariant().StartsWith(lower, StringComparison.Ordinal) ? 2
                : r.ShortCode.Contains(search, StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .ThenBy(r => r.Id).ToList();
    }

    public async Task<WriteResult<CannedResponse>> SaveAsync(int accountId, CannedResponse? existing, string? shortCode, string? content, CancellationToken ct = default)
    {
        if (existing is null && string.IsNullOrWhiteSpace(shortCode)) return new WriteProblem("Short code can't be blank", "short_code");
        if (existing is null && string.IsNullOrWhiteSpace(content)) return new WriteProblem("Content can't be blank", "content");
        if (shortCode is not null && string.IsNullOrWhiteSpace(shortCode)) return new WriteProblem("Short code can't be blank", "short_code");
        if (content is not null && string.IsNullOrWhiteSpace(content)) return new WriteProblem("Content can't be blank", "content");
        if (shortCode is not null && shortCode.Any(char.IsWhiteSpace)) return new WriteProblem("Short code may not contain spaces", "short_code");
        if (shortCode is not null && await db.CannedResponses.AnyAsync(r => r.AccountId == accountId && r.ShortCode == shortCode
                && r.Id != (existing == null ? 0 : existing.Id), ct))
            return new WriteProblem("Short code has already been taken", "short_code");
        var now = UnixTime.Now();
        var response = existing ?? new CannedResponse { AccountId = accountId, ShortCode = shortCode!, Content = content!, CreatedAt = now };
        if (existing is null) db.CannedResponses.Add(response);
        if (shortCode is not null) response.ShortCode = shortCode;
        if (content is not null) response.Content = content;
        response.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.CannedResponsesChanged));
        return response;
    }

    public async Task DeleteAsync(CannedResponse response, CancellationToken ct = default)
    {
        db.CannedResponses.Remove(response);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(response.AccountId, LiveEvent.CannedResponsesChanged));
    }

    public Task<CannedResponse?> FindAsync(int accountId, string id, CancellationToken ct = default) =>
        int.TryParse(id, out var responseId)
            ? db.CannedResponses.FirstOrDefaultAsync(r => r.Id == responseId && r.AccountId == accountId, ct)
            : Task.FromResult<CannedResponse?>(null);
}
