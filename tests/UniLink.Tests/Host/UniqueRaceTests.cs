using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using UniLink.Infrastructure.Http;
using UniLink.Tests.Infrastructure;
using static UniLink.Tests.Infrastructure.HttpAssertions;

namespace UniLink.Tests.Host;

/// <summary>Two requests creating the same unique value at once: one wins, the other is told why, never a 500.</summary>
public sealed class UniqueRaceTests
{
    [Fact]
    public async Task Concurrent_creates_of_one_label_give_one_label_and_clear_refusals()
    {
        using var server = new UniLinkServer();
        using var admin = server.AdminClient();
        var path = $"/api/v1/accounts/{server.AccountId}/labels";
        for (var round = 0; round < 5; round++)
        {
            var title = $"race-{round}";
            var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => admin.PostAsync(path, Json(new { title }))));
            var statuses = responses.Select(r => (int)r.StatusCode).ToList();
            Assert.True(statuses.Count(s => s == 200) == 1, $"statuses: {string.Join(",", statuses)}");
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
                await refused.ExpectBodyAsync((HttpStatusCode)422, """{"message":"Title has already been taken","attributes":["title"]}""");
        }
        var list = await (await admin.GetAsync(path)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(5, list!["payload"]!.AsArray().Count);
    }

    [Fact]
    public void A_unique_index_refusal_names_the_field_and_other_errors_are_not_one()
    {
        using var db = new SqliteConnection("Data Source=:memory:");
        db.Open();
        Run(db, """CREATE TABLE "CustomAttributeDefinitions" ("AccountId" INTEGER, "AttributeKey" TEXT, "AttributeModel" INTEGER)""");
        Run(db, """CREATE UNIQUE INDEX "IX_CustomAttributeDefinitions_AccountId_AttributeKey_AttributeModel" ON "CustomAttributeDefinitions" ("AccountId", "AttributeKey", "AttributeModel")""");
        Run(db, """INSERT INTO "CustomAttributeDefinitions" VALUES (1, 'plan', 0)""");
        var duplicate = Assert.Throws<SqliteException>(() => Run(db, """INSERT INTO "CustomAttributeDefinitions" VALUES (1, 'plan', 0)"""));
        Assert.Equal("attribute_key", UniqueViolation.Field(new InvalidOperationException("wrapped", duplicate)));

        var notNull = Assert.Throws<SqliteException>(() => Run(db, """CREATE TABLE "T" ("A" INTEGER NOT NULL); INSERT INTO "T" VALUES (NULL)"""));
        Assert.Null(UniqueViolation.Field(notNull));
        Assert.Null(UniqueViolation.Field(new InvalidOperationException()));
    }

    private static void Run(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
