using UniLink.Features.Accounts;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Accounts;

public sealed class AccountRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private static AccountInput Given(string? name = null, string? locale = null, string? domain = null, string? supportEmail = null, string? status = null) =>
        new(name, locale, domain, domain is not null, supportEmail, supportEmail is not null, null, Status: status);

    [Fact]
    public async Task An_account_has_a_name_a_language_code_a_domain_name_and_a_support_address_and_a_refused_change_saves_nothing()
    {
        var account = await OtherAccountAsync();
        Task<WriteResult<Account>> UpdateAsync(AccountInput input) => WithAsync<AccountService, WriteResult<Account>>(s => s.UpdateAsync(account, input));

        AssertRefused(await UpdateAsync(Given(name: " ")), "name");
        AssertRefused(await UpdateAsync(Given(locale: "english")), "locale");
        AssertRefused(await UpdateAsync(Given(domain: "not a domain")), "domain");
        AssertRefused(await UpdateAsync(Given(supportEmail: "nobody")), "support_email");
        AssertRefused(await UpdateAsync(Given(status: "closed")), "status");
        AssertRefused(await UpdateAsync(Given(name: "Renamed", locale: "xx-long-nonsense")), "locale");
        Assert.StartsWith("Other ", _server.Db(db => db.Accounts.Single(a => a.Id == account).Name));

        var done = Assert.IsType<WriteResult<Account>.Done>(await UpdateAsync(Given(" Renamed ", "pt_BR", "Support.Example.com", "help@example.com"))).Value;
        Assert.Equal(("Renamed", "pt_BR", "support.example.com", "help@example.com"), (done.Name, done.Locale, done.Domain, done.SupportEmail));
        Assert.IsType<WriteResult<Account>.Missing>(await WithAsync<AccountService, WriteResult<Account>>(s => s.UpdateAsync(int.MaxValue, Given("x"))));
    }
}
