using System.Text.Json.Nodes;

namespace UniLink.Features.Accounts;

/// <summary>An account as <c>GET /api/v1/accounts/{id}</c> answers it (the reference's fields UniLink has).</summary>
public sealed record AccountJson(
    int Id,
    string Name,
    string Locale,
    string? Domain,
    string? SupportEmail,
    string Status,
    JsonObject CustomAttributes,
    JsonObject Settings,
    string CreatedAt)
{
    public static AccountJson From(Account a) =>
        new(a.Id, a.Name, a.Locale, a.Domain, a.SupportEmail, a.Status, JsonText.Object(a.CustomAttributes), [], UnixTime.IsoMillis(a.CreatedAt));
}
