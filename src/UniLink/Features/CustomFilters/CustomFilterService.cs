using System.Text.Json.Nodes;

namespace UniLink.Features.CustomFilters;

/// <summary>A saved filter's fields as a write gives them; null leaves a field as it is.</summary>
public sealed record CustomFilterInput(string? Name, string? FilterType, JsonObject? Query) : IBodyInput<CustomFilterInput>
{
    public static string? Wrapper => "custom_filter";

    /// <summary>Reads the fields from a body already unwrapped from "custom_filter"; a field of the wrong type is the body's problem.</summary>
    public static CustomFilterInput From(RequestBody body, bool creating)
    {
        var input = new CustomFilterInput(body.String("name", 255, required: creating), body.String("filter_type", 32),
            body.Object("query", CustomFilterService.MaxQuery));
        if (creating && !body.Has("query")) body.Problem("query", "can't be blank");
        return input;
    }
}

/// <summary>
/// Saved filters ("custom views"): personal to their user in an account (another user's is as if it did not exist), at
/// most <see cref="MaxPerUser"/> each, as the reference. The API and the conversation list's "Save view" share these writes.
/// </summary>
public sealed class CustomFilterService(IDbContextFactory<UniLinkDb> dbs)
{
    public static readonly string[] FilterTypes = ["conversation", "contact", "report"];
    public const int MaxPerUser = 50;
    public const int MaxQuery = 65_536;

    /// <summary>The problem with a <c>filter_type</c> given to a list, or null.</summary>
    public static WriteProblem? FilterTypeProblem(string type) => FilterTypes.Contains(type) ? null
        : new WriteProblem($"Filter type '{(type.Length > 40 ? type[..40] + "…" : type)}' is not one of conversation, contact, report", "filter_type");

    public async Task<List<CustomFilter>> ListAsync(int accountId, int userId, string filterType, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.CustomFilters.AsNoTracking().Where(f => f.AccountId == accountId && f.UserId == userId && f.FilterType == filterType)
            .OrderBy(f => f.Id).ToListAsync(ct);
    }

    public async Task<CustomFilter?> FindAsync(int accountId, int userId, int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Mine(db, accountId, userId, id).AsNoTracking().FirstOrDefaultAsync(ct);
    }

    private static IQueryable<CustomFilter> Mine(UniLinkDb db, int accountId, int userId, int id) =>
        db.CustomFilters.Where(f => f.Id == id && f.AccountId == accountId && f.UserId == userId);

    public async Task<WriteResult<CustomFilter>> CreateAsync(int accountId, int userId, CustomFilterInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.CustomFilters.CountAsync(f => f.AccountId == accountId && f.UserId == userId, ct) >= MaxPerUser)
            return new WriteProblem($"Account We do not allow creating >{MaxPerUser} custom views per account per user", "account_id");
        var now = UnixTime.Now();
        var filter = new CustomFilter { AccountId = accountId, UserId = userId, Name = "", FilterType = "conversation", CreatedAt = now, UpdatedAt = now };
        if (Apply(filter, input) is { } problem) return problem;
        db.CustomFilters.Add(filter);
        await db.SaveChangesAsync(ct);
        return filter;
    }

    public async Task<WriteResult<CustomFilter>> UpdateAsync(int accountId, int userId, int id, CustomFilterInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await Mine(db, accountId, userId, id).FirstOrDefaultAsync(ct) is not { } filter) return new WriteResult<CustomFilter>.Missing();
        if (Apply(filter, input) is { } problem) return problem;
        filter.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        return filter;
    }

    public async Task<WriteResult<CustomFilter>> DeleteAsync(int accountId, int userId, int id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await Mine(db, accountId, userId, id).FirstOrDefaultAsync(ct) is not { } filter) return new WriteResult<CustomFilter>.Missing();
        db.CustomFilters.Remove(filter);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new WriteResult<CustomFilter>.Missing(); // deleted meanwhile (another tab, another request)
        }
        return filter;
    }

    private static WriteProblem? Apply(CustomFilter filter, CustomFilterInput input)
    {
        if (input.Name is not null)
        {
            if (string.IsNullOrWhiteSpace(input.Name)) return new WriteProblem("Name can't be blank", "name");
            filter.Name = input.Name.Trim();
        }
        if (input.FilterType is not null)
        {
            if (FilterTypeProblem(input.FilterType) is { } problem) return problem;
            filter.FilterType = input.FilterType;
        }
        if (input.Query is not null) filter.Query = input.Query.ToJsonString();
        return null;
    }
}
