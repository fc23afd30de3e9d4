using System.Text.Json;
using System.Text.Json.Serialization;
using UniLink.Features.Contacts;
using UniLink.Features.CustomAttributes;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.DashboardApps.Platform;
using UniLink.Features.DashboardApps.Signing;

namespace UniLink.Features.DashboardApps.Placements;

/// <summary>The account an app works in, in the contexts of the placements outside a conversation's tabs.</summary>
public sealed record AppAccountJson(int Id, string Name);

/// <summary>
/// <c>{"event":"appContext","data":{account, contact?, currentAgent, customAttributes, theme, placement[, token]}}</c>:
/// the context of an app on a contact's page (with the contact), on its own page or in the background (account and
/// agent only). Every part is the API's wire record, cut to the app's scopes.
/// </summary>
public sealed record AppPlaceContextData(
    AppAccountJson Account,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ContactJson? Contact,
    [property: JsonPropertyName("currentAgent")] CurrentAgentJson CurrentAgent,
    [property: JsonPropertyName("customAttributes")] IReadOnlyList<CustomAttributeDefinitionJson> CustomAttributes,
    string Theme,
    string Placement)
{
    /// <summary>What a token for this context vouches for: no conversation (0), the contact when there is one.</summary>
    public UniLink.AppSdk.ContextTokenClaims ClaimsFor(DashboardApp app, string agentRole) =>
        new(app.Id, Account.Id, CurrentAgent.Id, CurrentAgent.Email, agentRole, 0, Contact?.Id);

    /// <summary>The context as <paramref name="app"/> may see it.</summary>
    public AppPlaceContextData ScopedFor(DashboardApp app) => this with
    {
        Contact = Contact is null ? null : ContextScopes.ContactFor(Contact, app),
        CurrentAgent = ContextScopes.AgentFor(CurrentAgent, app),
    };
}

internal sealed record AppPlaceContextMessage(string Event, AppPlaceContextData Data);

/// <summary>Builds and seals the contexts of apps placed outside a conversation (one per page or dashboard).</summary>
public sealed class AppPlaceContexts(UniLinkDb db, AppSecrets secrets, ContextSigningKeys keys)
{
    /// <summary>The context for the agent in the account (and the contact, when <paramref name="contactId"/> is one of its
    /// contacts); null when the agent is no member of the account.</summary>
    public async Task<AppPlaceContextData?> BuildAsync(int accountId, int agentId, int? contactId, string placement, CancellationToken ct = default)
    {
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => new AppAccountJson(a.Id, a.Name)).FirstOrDefaultAsync(ct);
        var member = await db.AccountUsers.AsNoTracking().AnyAsync(m => m.AccountId == accountId && m.UserId == agentId, ct);
        if (account is null || !member) return null;
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == agentId, ct);
        var contact = contactId is { } id
            ? await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.AccountId == accountId && c.Id == id, ct)
            : null;
        var definitions = await db.CustomAttributeDefinitions.AsNoTracking().Where(d => d.AccountId == accountId).OrderBy(d => d.Id).ToListAsync(ct);
        return new AppPlaceContextData(account, contact?.ToJson(), user.ToCurrentAgentJson(), definitions.Select(d => d.ToJson()).ToList(),
            user.Theme == "dark" ? "dark" : "light", placement);
    }

    /// <summary>Each app's message (UTF-8 JSON): its context within its scopes, with its HS256 token when it has a secret, sealed (ES256).</summary>
    public async Task<Dictionary<int, byte[]>> SealAsync(SealedContexts sealedContexts, AppPlaceContextData data, IEnumerable<DashboardApp> apps, string agentRole,
        string issuer, CancellationToken ct = default)
    {
        var signer = await keys.CurrentAsync(ct);
        var now = DateTime.UtcNow;
        var result = new Dictionary<int, byte[]>();
        foreach (var app in apps)
        {
            var scoped = data.ScopedFor(app);
            var unsigned = JsonSerializer.SerializeToUtf8Bytes(new AppPlaceContextMessage("appContext", scoped), WireJson.Options);
            result[app.Id] = sealedContexts.Seal(unsigned, () => scoped.ClaimsFor(app, agentRole), app, agentRole, signer, issuer, now);
        }
        return result;
    }

    /// <summary>A new cache of sealed messages for one page (unchanged contexts are resent as the very same message).</summary>
    public SealedContexts NewCache() => new(secrets);
}
