using System.Text.RegularExpressions;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Labels;

/// <summary>A label's fields as a write gives them; null leaves a field as it is.</summary>
public sealed record LabelInput(string? Title, string? Description, string? Color, bool? ShowOnSidebar) : IBodyInput<LabelInput>
{
    public static string? Wrapper => "label";

    /// <summary>Reads the fields from a body already unwrapped from "label"; a field of the wrong type is the body's problem.</summary>
    public static LabelInput From(RequestBody body, bool creating) =>
        new(body.String("title", 255, required: creating), body.String("description", 1000),
            body.String("color", 16), body.Bool("show_on_sidebar"));
}

/// <summary>An account's labels: their rules, and the writes the API and the dashboard share.</summary>
public sealed partial class LabelService(UniLinkDb db, LiveBus live)
{
    public Task<List<Label>> ListAsync(int accountId, CancellationToken ct = default) =>
        db.Labels.AsNoTracking().Where(l => l.AccountId == accountId).OrderBy(l => l.Title).ToListAsync(ct);

    public Task<Label?> FindAsync(int accountId, int id, CancellationToken ct = default) =>
        db.Labels.FirstOrDefaultAsync(l => l.Id == id && l.AccountId == accountId, ct);

    public async Task<WriteResult<Label>> CreateAsync(int accountId, LabelInput input, CancellationToken ct = default)
    {
        var now = UnixTime.Now();
        var label = new Label { AccountId = accountId, Title = "", CreatedAt = now, UpdatedAt = now };
        if (await ApplyAsync(label, input, ct) is { } problem) return problem;
        db.Labels.Add(label);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.LabelsChanged));
        return label;
    }

    public async Task<WriteResult<Label>> UpdateAsync(int accountId, int id, LabelInput input, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, id, ct) is not { } label) return new WriteResult<Label>.Missing();
        if (await ApplyAsync(label, input, ct) is { } problem) return problem;
        label.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.LabelsChanged));
        return label;
    }

    public async Task<WriteResult<Label>> DeleteAsync(int accountId, int id, CancellationToken ct = default)
    {
        if (await FindAsync(accountId, id, ct) is not { } label) return new WriteResult<Label>.Missing();
        db.Labels.Remove(label);
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, LiveEvent.LabelsChanged));
        return label;
    }

    private async Task<WriteProblem?> ApplyAsync(Label label, LabelInput input, CancellationToken ct)
    {
        if (input.Title?.ToLowerInvariant() is { } title)
        {
            if (!LabelRules.IsValidTitle(title)) return new WriteProblem("Title may only contain letters, digits, '-' and '_'", "title");
            if (await db.Labels.AnyAsync(l => l.AccountId == label.AccountId && l.Title == title && l.Id != label.Id, ct))
                return new WriteProblem("Title has already been taken", "title");
            label.Title = title;
        }
        if (input.Color is { } color && !ColorPattern().IsMatch(color)) return new WriteProblem("Color must look like #1f93ff", "color");
        if (input.Description is { } description) label.Description = description;
        if (input.Color is { } newColor) label.Color = newColor;
        if (input.ShowOnSidebar is { } show) label.ShowOnSidebar = show;
        return null;
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();
}
