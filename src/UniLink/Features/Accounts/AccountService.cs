using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UniLink.Infrastructure.Live;

namespace UniLink.Features.Accounts;

/// <summary>
/// An account's fields as a write gives them; null leaves a field as it is. <see cref="CustomAttributes"/> is merged
/// into the stored ones (the account API's <c>industry</c>, <c>company_size</c>, <c>timezone</c>) unless
/// <see cref="ReplaceCustomAttributes"/> (the Platform API assigns the whole object). Status and limits are the
/// operator's: only the Platform API reads them.
/// </summary>
public sealed record AccountInput(string? Name, string? Locale, string? Domain, bool DomainGiven, string? SupportEmail, bool SupportEmailGiven,
    JsonObject? CustomAttributes, bool ReplaceCustomAttributes = false, string? Status = null, JsonObject? Limits = null) : IBodyInput<AccountInput>
{
    public static string? Wrapper => "account";

    public static AccountInput From(RequestBody body, bool creating) => FromAccountApi(body, creating);

    /// <summary>The reference's account API keys, unwrapped (<c>PATCH /api/v1/accounts/{id}</c>).</summary>
    public static AccountInput FromAccountApi(RequestBody body, bool creating = false)
    {
        JsonObject? custom = null;
        foreach (var key in AccountApiCustomAttributes)
            if (body.Has(key) && body.String(key, 255) is var value)
                (custom ??= [])[key] = value;
        return new(body.String("name", 255, required: creating), body.String("locale", 16), body.String("domain", 100), body.Has("domain"),
            body.String("support_email", 100), body.Has("support_email"), custom);
    }

    /// <summary>The Platform API's keys: the account API's, a whole <c>custom_attributes</c> object, <c>status</c> and <c>limits</c>.</summary>
    public static AccountInput FromPlatformApi(RequestBody body, bool creating)
    {
        var fields = FromAccountApi(body, creating);
        return fields with
        {
            CustomAttributes = body.Object("custom_attributes"), ReplaceCustomAttributes = true,
            Status = body.String("status", 16), Limits = body.Object("limits"),
        };
    }

    private static readonly string[] AccountApiCustomAttributes = ["industry", "company_size", "timezone"];
}

/// <summary>The account itself: its rules (<see cref="Apply"/>) and the administrators' changes from the API and the settings page.</summary>
public sealed partial class AccountService(IDbContextFactory<UniLinkDb> dbs, LiveBus live)
{
    public const string AccountChanged = "account.changed";

    public async Task<Account?> FindAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct);
    }

    public async Task<WriteResult<Account>> UpdateAsync(int accountId, AccountInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Accounts.FirstOrDefaultAsync(a => a.Id == accountId, ct) is not { } account) return new WriteResult<Account>.Missing();
        if (Apply(account, input) is { } problem) return problem;
        account.UpdatedAt = UnixTime.Now();
        await db.SaveChangesAsync(ct);
        live.Publish(new LiveEvent(accountId, AccountChanged));
        return account;
    }

    /// <summary>The account's rules, applied to a new or a tracked account: the problem with the first field refused, else null.</summary>
    public static WriteProblem? Apply(Account account, AccountInput input)
    {
        if (input.Name is not null)
        {
            if (string.IsNullOrWhiteSpace(input.Name)) return new WriteProblem("Name can't be blank", "name");
            account.Name = input.Name.Trim();
        }
        if (input.Locale is not null)
        {
            if (!LocalePattern().IsMatch(input.Locale)) return new WriteProblem($"Locale '{input.Locale}' is not a language code such as en or pt_BR", "locale");
            account.Locale = input.Locale;
        }
        if (input.DomainGiven)
        {
            if (!string.IsNullOrEmpty(input.Domain) && !DomainPattern().IsMatch(input.Domain))
                return new WriteProblem("Domain is not a domain name such as support.example.com", "domain");
            account.Domain = string.IsNullOrEmpty(input.Domain) ? null : input.Domain.ToLowerInvariant();
        }
        if (input.SupportEmailGiven)
        {
            if (!string.IsNullOrEmpty(input.SupportEmail) && !AgentRules.IsEmail(input.SupportEmail))
                return new WriteProblem("Support email is invalid", "support_email");
            account.SupportEmail = string.IsNullOrEmpty(input.SupportEmail) ? null : input.SupportEmail;
        }
        if (input.Status is not null)
        {
            if (input.Status is not (AccountStatuses.Active or AccountStatuses.Suspended))
                return new WriteProblem($"Status '{input.Status}' is not one of active, suspended", "status");
            account.Status = input.Status;
        }
        if (input.CustomAttributes is { } custom)
        {
            var merged = input.ReplaceCustomAttributes ? [] : JsonText.Object(account.CustomAttributes);
            foreach (var (key, value) in custom) merged[key] = value?.DeepClone();
            account.CustomAttributes = JsonText.Serialize(merged);
        }
        if (input.Limits is { } limits) account.Limits = JsonText.Serialize(limits);
        return null;
    }

    [GeneratedRegex(@"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$")]
    private static partial Regex LocalePattern();

    [GeneratedRegex(@"^(?=.{1,100}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex DomainPattern();
}
