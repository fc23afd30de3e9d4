using UniLink.Features.CustomAttributes;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.CustomAttributes;

public sealed class CustomAttributeDefinitionRulesTests(SharedServer server) : ServiceRulesTests(server)
{
    private static CustomAttributeDefinitionInput Given(string key, string model = "contact_attribute", string type = "text", string? regex = null) =>
        new("Display " + key, key, null, regex, null, null, null, type, model,
            new HashSet<string> { "attribute_display_name", "attribute_key", "attribute_display_type", "attribute_model", "regex_pattern" });

    private Task<WriteResult<CustomAttributeDefinition>> CreateAsync(int account, CustomAttributeDefinitionInput input) =>
        WithAsync<CustomAttributeDefinitionService, WriteResult<CustomAttributeDefinition>>(s => s.CreateAsync(account, input));

    [Fact]
    public async Task A_key_is_a_word_unique_per_account_and_model_types_and_regexes_are_checked_and_another_accounts_is_missing()
    {
        var other = await OtherAccountAsync();
        var key = "rules_" + Guid.NewGuid().ToString("N")[..6];
        var mine = Assert.IsType<WriteResult<CustomAttributeDefinition>.Done>(await CreateAsync(_account, Given(key))).Value;
        int Count() => _server.Db(db => db.CustomAttributeDefinitions.Count(d => d.AccountId == _account));
        var before = Count();

        AssertRefused(await CreateAsync(_account, Given(key)), "attribute_key");
        AssertRefused(await CreateAsync(_account, Given("has space")), "attribute_key");
        AssertRefused(await CreateAsync(_account, Given(key + "_b", model: "user_attribute")), "attribute_model");
        AssertRefused(await CreateAsync(_account, Given(key + "_c", type: "colour")), "attribute_display_type");
        AssertRefused(await CreateAsync(_account, Given(key + "_d", regex: "([a-z")), "regex_pattern");
        Assert.Equal(before, Count());

        // The same key on the other model, or in another account, is free.
        Assert.IsType<WriteResult<CustomAttributeDefinition>.Done>(await CreateAsync(_account, Given(key, model: "conversation_attribute")));
        Assert.IsType<WriteResult<CustomAttributeDefinition>.Done>(await CreateAsync(other, Given(key)));
        Assert.IsType<WriteResult<CustomAttributeDefinition>.Missing>(await WithAsync<CustomAttributeDefinitionService, WriteResult<CustomAttributeDefinition>>(s =>
            s.UpdateAsync(other, mine.Id, Given(key + "_taken"))));
    }
}
