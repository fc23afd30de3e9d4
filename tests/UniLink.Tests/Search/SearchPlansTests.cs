using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using UniLink.Infrastructure.Db;

namespace UniLink.Tests.Search;

/// <summary>
/// On PostgreSQL, fixed-shape statements keep their plans (plan_cache_mode auto) while a statement with a search
/// condition gets a text of its own on every execution, so that it is never prepared and is planned for its words.
/// </summary>
public sealed class SearchPlansTests
{
    private static string Run(SearchPlans plans, string sql)
    {
        using var command = new NpgsqlCommand(sql);
        plans.ReaderExecuting(command, null!, default);
        return command.CommandText;
    }

    [Fact]
    public void A_search_statement_gets_a_new_text_each_time_and_others_keep_theirs()
    {
        var plans = new SearchPlans();
        foreach (var search in new[]
                 {
                     """SELECT 1 FROM "Conversations" AS c WHERE unilink_words_match(c."SearchWords", @q)""",
                     """SELECT 1 FROM "Messages" AS m WHERE unilink_content_match(m."Content", @q)""",
                     """SELECT c."Id" FROM "Contacts" c WHERE lower(c."Name") LIKE @p""",
                 })
        {
            var first = Run(plans, search);
            var second = Run(plans, search);
            Assert.NotEqual(first, second);
            Assert.EndsWith(search, first);
            Assert.EndsWith(search, second);
        }
        const string list = """SELECT c."Id" FROM "Conversations" AS c WHERE c."AccountId" = @a AND c."Status" = @s ORDER BY c."LastActivityAt" DESC LIMIT @n""";
        Assert.Equal(list, Run(plans, list));
        Assert.Equal(list, Run(plans, list));
    }

    [Fact]
    public void PostgreSQL_connections_leave_plan_caching_to_the_server_unless_the_url_says()
    {
        UniLink.Infrastructure.Config.PostgresUrl.TryToConnectionString("postgres://u:p@127.0.0.1:5432/db", out var cs, out _);
        Assert.DoesNotContain("plan_cache_mode", cs);
        Assert.Contains("Max Auto Prepare=64", cs);
        UniLink.Infrastructure.Config.PostgresUrl.TryToConnectionString("postgres://u:p@127.0.0.1:5432/db?Options=-c%20plan_cache_mode%3Dforce_custom_plan", out cs, out _);
        Assert.Contains("plan_cache_mode=force_custom_plan", cs);
    }
}
