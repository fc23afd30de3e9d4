using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.CustomFilters;

/// <summary>
/// <c>…/custom_filters</c>: every member keeps their own saved filters (at most 50 per account), as the reference; another
/// user's filter is as if it did not exist.
/// </summary>
public static class CustomFiltersEndpoints
{
    public static readonly string[] FilterTypes = ["conversation", "contact", "report"];
    public const int MaxPerUser = 50;
    public const int MaxQuery = 65_536;

    public static RouteGroupBuilder MapCustomFilters(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/custom_filters").WithTags("Custom filters");

        group.MapGet("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var type = request.Query["filter_type"].ToString() is { Length: > 0 } t ? t : "conversation";
            if (!FilterTypes.Contains(type)) return ApiErrors.Invalid($"Filter type '{Clip(type)}' is not one of conversation, contact, report", "filter_type");
            var filters = await db.CustomFilters.AsNoTracking()
                .Where(f => f.AccountId == scope.AccountId && f.UserId == scope.UserId && f.FilterType == type).OrderBy(f => f.Id).ToListAsync(ct);
            return Results.Json(filters.Select(ToJson), WireJson.Options);
        });

        group.MapGet("/{id}", async (AccountScope scope, string id, UniLinkDb db, CancellationToken ct) =>
            await FindAsync(db, scope, id, ct) is { } f ? Results.Json(ToJson(f), WireJson.Options) : ApiErrors.NotFound());

        group.MapPost("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, CancellationToken ct) =>
        {
            var (raw, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            var body = raw!.Unwrap("custom_filter");
            if (body.IsEmpty) return ApiErrors.MissingParam("custom_filter");
            return await SaveAsync(scope, null, body, db, ct);
        });

        group.MapPatch("/{id}", UpdateAsync);
        group.MapPut("/{id}", UpdateAsync);

        group.MapDelete("/{id}", async (AccountScope scope, string id, UniLinkDb db, CancellationToken ct) =>
        {
            if (await FindAsync(db, scope, id, ct, tracked: true) is not { } f) return ApiErrors.NotFound();
            db.CustomFilters.Remove(f);
            await db.SaveChangesAsync(ct);
            return Results.NoContent();
        });

        return account;
    }

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s;

    private static async Task<IResult> UpdateAsync(AccountScope scope, string id, HttpRequest request, UniLinkDb db, CancellationToken ct)
    {
        var (raw, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        if (await FindAsync(db, scope, id, ct, tracked: true) is not { } f) return ApiErrors.NotFound();
        return await SaveAsync(scope, f, raw!.Unwrap("custom_filter"), db, ct);
    }

    private static async Task<IResult> SaveAsync(AccountScope scope, CustomFilter? existing, RequestBody body, UniLinkDb db, CancellationToken ct)
    {
        var name = body.String("name", 255, required: existing is null);
        var type = body.String("filter_type", 32);
        var query = body.Object("query", MaxQuery);
        if (existing is null && query is null && body.Error is null) body.Problem("query", "can't be blank");
        if (body.Error is { } e) return e;
        if (name is not null && string.IsNullOrWhiteSpace(name)) return ApiErrors.Invalid("Name can't be blank", "name");
        if (type is not null && !FilterTypes.Contains(type)) return ApiErrors.Invalid($"Filter type '{Clip(type)}' is not one of conversation, contact, report", "filter_type");
        var now = UnixTime.Now();
        if (existing is null)
        {
            if (await db.CustomFilters.CountAsync(f => f.AccountId == scope.AccountId && f.UserId == scope.UserId, ct) >= MaxPerUser)
                return ApiErrors.Invalid($"Account We do not allow creating >{MaxPerUser} custom views per account per user", "account_id");
            existing = new CustomFilter { AccountId = scope.AccountId, UserId = scope.UserId!.Value, Name = name!, FilterType = type ?? "conversation", CreatedAt = now };
            db.CustomFilters.Add(existing);
        }
        if (name is not null) existing.Name = name;
        if (type is not null) existing.FilterType = type;
        if (query is not null) existing.Query = query.ToJsonString();
        existing.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return Results.Json(ToJson(existing), WireJson.Options);
    }

    private static async Task<CustomFilter?> FindAsync(UniLinkDb db, AccountScope scope, string id, CancellationToken ct, bool tracked = false)
    {
        if (!int.TryParse(id, out var filterId)) return null;
        var query = db.CustomFilters.Where(f => f.Id == filterId && f.AccountId == scope.AccountId && f.UserId == scope.UserId);
        return await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(ct);
    }

    public static CustomFilterJson ToJson(CustomFilter f) =>
        new(f.Id, f.Name, f.FilterType, JsonText.Object(f.Query), UnixTime.IsoMillis(f.CreatedAt), UnixTime.IsoMillis(f.UpdatedAt));
}
