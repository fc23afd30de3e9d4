using UniLink.Infrastructure.Live;

namespace UniLink.Features.CannedResponses;

/// <summary>A canned response's fields as a write gives them; null leaves a field as it is.</summary>
public sealed record CannedResponseInput(string? ShortCode, string? Content) : IBodyInput<CannedResponseInput>
{
    public static string? Wrapper => "canned_response";

    /// <summary>Reads the fields from a body already unwrapped from "canned_response"; a field of the wrong type is the body's problem.</summary>
    public static CannedResponseInput From(RequestBody body, bool creating = false) =>
        new(body.String("short_code", CannedResponseService.MaxShortCode), body.String("content", CannedResponseService.MaxContent, trim: false));
}

/// <summary>
/// Canned responses: search as the reference ranks it, and the writes the API, the settings page and the reply box's
/// picker share. A context per call: the pages hold the service for a whole circuit.
/// </summary>
public sealed class CannedResponseService(IDbContextFactory<UniLinkDb> dbs, LiveBus live)
{
    public const int MaxContent = 10_000;
    public const int MaxShortCode = 255;

    /// <summary>
    /// The account's canned responses; with a search, those whose short code or content holds it (any case), short codes
    /// starting with it first, then short codes holding it, then contents.
    /// </summary>
    public async Task<List<CannedResponse>> ListAsync(int accountId, string? search, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
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

    public Task<WriteResult<CannedResponse>> CreateAsync(int accountId, CannedResponseInput input, CancellationToken ct = default) =>
        SaveAsync(accountId, null, input, ct);

    public Task<WriteResult<CannedResponse>> UpdateAsync(int accountId, int id, CannedResponseInput input, CancellationToken ct = default) =>
        SaveAsync(accountId, id, input, ct);

    public async Task<WriteResult<CannedResponse>> DeleteAsync(int accountId, int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.CannedResponses.FirstOrDefaultAsync(r => r.Id == id && r.AccountId == accountId, ct) is not { } response)
            return new WriteResult<CannedResponse>.Missing();
        await db.CannedResponses.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.CannedResponsesChanged));
        return response;
    }

    private async Task<WriteResult<CannedResponse>> SaveAsync(int accountId, int? id, CannedResponseInput input, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var existing = id is null ? null : await db.CannedResponses.FirstOrDefaultAsync(r => r.Id == id && r.AccountId == accountId, ct);
        if (id is not null && existing is null) return new WriteResult<CannedResponse>.Missing();
        var (shortCode, content) = (input.ShortCode?.Trim(), input.Content);
        if (shortCode?.Length > MaxShortCode) return new WriteProblem($"Short code is too long (maximum is {MaxShortCode} characters)", "short_code");
        if (content?.Length > MaxContent) return new WriteProblem($"Content is too long (maximum is {MaxContent} characters)", "content");
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
}
