using UniLink.Features.Contacts;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Contacts;

public sealed class ContactRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private static ContactInput Given(string? email = null, string? phone = null, string? identifier = null, string? avatar = null) =>
        new(new HashSet<string> { "name", "email", "phone_number", "identifier" }, "Rules", email, phone, identifier, AvatarUrl: avatar);

    private Task<WriteResult<Contact>> CreateAsync(int account, ContactInput input) =>
        WithAsync<ContactService, WriteResult<Contact>>(s => s.CreateAsync(account, input));

    [Fact]
    public async Task Email_phone_and_identifier_are_checked_unique_per_account_and_claims_are_sorted_per_account()
    {
        var other = await OtherAccountAsync();
        var email = $"{Guid.NewGuid():N}@example.com";
        var identifier = "id-" + Guid.NewGuid().ToString("N")[..8];
        var first = Assert.IsType<WriteResult<Contact>.Done>(await CreateAsync(_account, Given(email, "+4915112345678", identifier))).Value;
        int Count() => _server.Db(db => db.Contacts.Count(c => c.AccountId == _account));
        var before = Count();

        AssertRefused(await CreateAsync(_account, Given("not an address")), "email");
        AssertRefused(await CreateAsync(_account, Given(phone: "0151 1234")), "phone_number");
        AssertRefused(await CreateAsync(_account, Given(email)), "email");
        AssertRefused(await CreateAsync(_account, Given(identifier: identifier)), "identifier");
        AssertRefused(await WithAsync<ContactService, WriteResult<Contact>>(s => s.UpdateAsync(_account, first.Id, Given(avatar: "ftp://x/y.png"))), "avatar_url");
        Assert.Equal(before, Count());
        Assert.IsType<WriteResult<Contact>.Done>(await CreateAsync(other, Given(email, identifier: identifier)));
        Assert.IsType<WriteResult<Contact>.Missing>(await WithAsync<ContactService, WriteResult<Contact>>(s => s.UpdateAsync(other, first.Id, Given())));

        // What nobody verified: a claim another contact of the account holds is kept aside; in another account it is free.
        var here = await WithAsync<ContactService, UnverifiedClaims>(s => s.SortClaimsAsync(_account, null, email, identifier));
        Assert.Equal((null, null), (here.Email, here.Identifier));
        Assert.Equal(new Dictionary<string, string> { ["unverified_email"] = email, ["unverified_identifier"] = identifier }, here.Aside);
        var own = await WithAsync<ContactService, UnverifiedClaims>(s => s.SortClaimsAsync(_account, first.Id, email, identifier));
        Assert.Equal((email, identifier), (own.Email, own.Identifier));
        var third = await OtherAccountAsync();
        var fresh = await WithAsync<ContactService, UnverifiedClaims>(s => s.SortClaimsAsync(third, null, email, identifier));
        Assert.Empty(fresh.Aside);
    }
}
