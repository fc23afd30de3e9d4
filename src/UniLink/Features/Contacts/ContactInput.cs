using System.Text.Json.Nodes;

namespace UniLink.Features.Contacts;

/// <summary>
/// A create or update of a contact. Only the fields named in <see cref="Given"/> change (a given null or blank clears
/// it); <see cref="AdditionalAttributes"/> and <see cref="CustomAttributes"/> are merged key by key, and
/// <see cref="RemovedCustomAttributes"/> are taken out.
/// </summary>
public sealed record ContactInput(
    IReadOnlySet<string> Given, string? Name = null, string? Email = null, string? PhoneNumber = null, string? Identifier = null,
    bool? Blocked = null, JsonObject? AdditionalAttributes = null, JsonObject? CustomAttributes = null, string? AvatarUrl = null,
    IReadOnlyCollection<string>? RemovedCustomAttributes = null) : IBodyInput<ContactInput>
{
    /// <summary>The account API reads a contact's fields unwrapped.</summary>
    public static string? Wrapper => null;

    static ContactInput IBodyInput<ContactInput>.From(RequestBody body, bool creating) => From(body);

    private static readonly string[] Keys =
        ["name", "email", "phone_number", "identifier", "blocked", "additional_attributes", "custom_attributes", "avatar_url"];

    /// <summary>
    /// The reference's contact body. <paramref name="only"/> limits it to some keys (the public API lets a customer-side
    /// integration change a few); with <paramref name="nullKeeps"/> a null leaves the stored value alone, as there.
    /// </summary>
    public static ContactInput From(RequestBody body, IReadOnlyCollection<string>? only = null, bool nullKeeps = false)
    {
        bool Takes(string key) => (only is null || only.Contains(key)) && body.Has(key) && !(nullKeeps && body.Json[key] is null);
        var given = Keys.Where(Takes).ToHashSet();
        return new ContactInput(given,
            Takes("name") ? body.String("name", 255) : null,
            Takes("email") ? body.String("email", 255)?.ToLowerInvariant() : null,
            Takes("phone_number") ? body.String("phone_number", 32) : null,
            Takes("identifier") ? body.String("identifier", 255) : null,
            Takes("blocked") ? body.Bool("blocked") : null,
            Takes("additional_attributes") ? body.Object("additional_attributes") : null,
            Takes("custom_attributes") ? body.Object("custom_attributes") : null,
            Takes("avatar_url") ? body.String("avatar_url", 2048) : null);
    }
}
