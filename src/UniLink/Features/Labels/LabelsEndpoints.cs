using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Labels;

public static class LabelsEndpoints
{
    public static RouteGroupBuilder MapLabels(this RouteGroupBuilder account)
    {
        var group = account.MapGroup("/labels").WithTags("Labels");

        group.MapGet("/", async (AccountScope scope, UniLinkDb db, CancellationToken ct) =>
            Results.Json(new { payload = (await db.Labels.AsNoTracking().Where(l => l.AccountId == scope.AccountId).OrderBy(l => l.Title).ToListAsync(ct)).Select(l => l.ToJson()) }, WireJson.Options));

        group.MapGet("/{label_id}", async (AccountScope scope, string label_id, UniLinkDb db, CancellationToken ct) =>
            await FindAsync(db, scope, label_id, ct) is { } l ? Results.Json(l.ToJson(), WireJson.Options) : ApiErrors.NotFound());

        group.MapPost("/", async (AccountScope scope, HttpRequest request, UniLinkDb db, LiveBus live, CancellationToken ct) =>
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            if (bad is not null) return bad;
            body = body!.Unwrap("label");
            var label = new Label { AccountId = scope.AccountId, Title = "", CreatedAt = UnixTime.Now(), UpdatedAt = UnixTime.Now() };
            if (await ApplyAsync(body, label, db, scope, ct, creating: true) is { } invalid) return invalid;
            db.Labels.Add(label);
            await db.SaveChangesAsync(ct);
            live.Publish(new LiveEvent(scope.AccountId, LiveEvent.LabelsChanged));
            return Results.Json(label.ToJson(), WireJson.Options);
        }).RequireAdministrator();

        group.MapPatch("/{label_id}", UpdateAsync).RequireAdministrator();
        group.MapPut("/{label_id}", UpdateAsync).RequireAdministrator();

        group.MapDelete("/{label_id}", async (AccountScope scope, string label_id, UniLinkDb db, LiveBus live, CancellationToken ct) =>
        {
            if (await FindAsync(db, scope, label_id, ct, tracked: true) is not { } l) return ApiErrors.NotFound();
            db.Labels.Remove(l);
            await db.SaveChangesAsync(ct);
            live.Publish(new LiveEvent(scope.AccountId, LiveEvent.LabelsChanged));
            return Results.Ok();
        }).RequireAdministrator();

        return account;
    }

    private static async Task<IResult> UpdateAsync(AccountScope scope, string label_id, HttpRequest request, UniLinkDb db, LiveBus live, CancellationToken ct)
    {
        var (body, bad) = await RequestBody.ReadAsync(request);
        if (bad is not null) return bad;
        if (await FindAsync(db, scope, label_id, ct, tracked: true) is not { } label) return ApiErrors.NotFound();
        if (await ApplyAsync(body!.Unwrap("label"), label, db, scope, ct, creating: false) is { } invalid) return invalid;
        label.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(scope.AccountId, LiveEvent.LabelsChanged));
        return Results.Json(label.ToJson(), WireJson.Options);
    }

    private static async Task<IResult?> ApplyAsync(RequestBody body, Label label, UniLinkDb db, AccountScope scope, CancellationToken ct, bool creating)
    {
        var title = body.String("title", 255, required: creating)?.ToLowerInvariant();
        var description = body.String("description", 1000);
        var color = body.String("color", 16);
        var show = body.Bool("show_on_sidebar");
        if (body.Error is { } e) return e;
        if (title is not null)
        {
            if (!LabelRules.IsValidTitle(title)) return ApiErrors.Invalid("Title may only contain letters, digits, '-' and '_'", "title");
            if (await db.Labels.AnyAsync(l => l.AccountId == scope.AccountId && l.Title == title && l.Id != label.Id, ct))
                return ApiErrors.Invalid("Title has already been taken", "title");
            label.Title = title;
        }
        if (color is not null && !Regex.IsMatch(color, "^#[0-9a-fA-F]{6}$")) return ApiErrors.Invalid("Color must look like #1f93ff", "color");
        if (description is not null) label.Description = description;
        if (color is not null) label.Color = color;
        if (show is { } s) label.ShowOnSidebar = s;
        return null;
    }

    private static async Task<Label?> FindAsync(UniLinkDb db, AccountScope scope, string id, CancellationToken ct, bool tracked = false) =>
        int.TryParse(id, out var labelId)
            ? await (tracked ? db.Labels : db.Labels.AsNoTracking()).FirstOrDefaultAsync(l => l.Id == labelId && l.AccountId == scope.AccountId, ct)
            : null;
}
