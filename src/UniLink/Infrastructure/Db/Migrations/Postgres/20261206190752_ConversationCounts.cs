using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConversationCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConversationCounts",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    InboxId = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    AssigneeId = table.Column<int>(type: "integer", nullable: false),
                    TeamId = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationCounts", x => new { x.AccountId, x.InboxId, x.Status, x.AssigneeId, x.TeamId });
                });

            // The list's counts (Features/Conversations/ConversationCount), kept in the transaction of every write to
            // "Conversations", whatever made it (EF, a bulk update, a foreign key's cascade or SET NULL). Statement
            // triggers: a statement's changes are added up per key first, then applied in the keys' order, so that two
            // transactions never take the counts' row locks in opposite orders. A change that moves no conversation to
            // another key adds nothing (HAVING).
            migrationBuilder.Sql("""
                CREATE FUNCTION unilink_conversation_counts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO "ConversationCounts" AS k ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "Count")
                    SELECT a, i, s, u, t, sum(d) FROM (SELECT "AccountId" AS a, "InboxId" AS i, "Status" AS s, coalesce("AssigneeId", 0) AS u, coalesce("TeamId", 0) AS t, 1 AS d FROM unilink_counts_added) x
                    GROUP BY a, i, s, u, t HAVING sum(d) <> 0 ORDER BY a, i, s, u, t
                    ON CONFLICT ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  ELSIF TG_OP = 'DELETE' THEN
                    INSERT INTO "ConversationCounts" AS k ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "Count")
                    SELECT a, i, s, u, t, sum(d) FROM (SELECT "AccountId" AS a, "InboxId" AS i, "Status" AS s, coalesce("AssigneeId", 0) AS u, coalesce("TeamId", 0) AS t, -1 AS d FROM unilink_counts_removed) x
                    GROUP BY a, i, s, u, t HAVING sum(d) <> 0 ORDER BY a, i, s, u, t
                    ON CONFLICT ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  ELSE
                    INSERT INTO "ConversationCounts" AS k ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "Count")
                    SELECT a, i, s, u, t, sum(d) FROM (SELECT "AccountId" AS a, "InboxId" AS i, "Status" AS s, coalesce("AssigneeId", 0) AS u, coalesce("TeamId", 0) AS t, 1 AS d FROM unilink_counts_added UNION ALL SELECT "AccountId" AS a, "InboxId" AS i, "Status" AS s, coalesce("AssigneeId", 0) AS u, coalesce("TeamId", 0) AS t, -1 AS d FROM unilink_counts_removed) x
                    GROUP BY a, i, s, u, t HAVING sum(d) <> 0 ORDER BY a, i, s, u, t
                    ON CONFLICT ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  END IF;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER "Conversations_Counts_Insert" AFTER INSERT ON "Conversations"
                  REFERENCING NEW TABLE AS unilink_counts_added FOR EACH STATEMENT EXECUTE FUNCTION unilink_conversation_counts();
                CREATE TRIGGER "Conversations_Counts_Update" AFTER UPDATE ON "Conversations"
                  REFERENCING OLD TABLE AS unilink_counts_removed NEW TABLE AS unilink_counts_added FOR EACH STATEMENT EXECUTE FUNCTION unilink_conversation_counts();
                CREATE TRIGGER "Conversations_Counts_Delete" AFTER DELETE ON "Conversations"
                  REFERENCING OLD TABLE AS unilink_counts_removed FOR EACH STATEMENT EXECUTE FUNCTION unilink_conversation_counts();
                INSERT INTO "ConversationCounts" ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "Count")
                SELECT "AccountId", "InboxId", "Status", coalesce("AssigneeId", 0), coalesce("TeamId", 0), count(*)
                FROM "Conversations" GROUP BY "AccountId", "InboxId", "Status", coalesce("AssigneeId", 0), coalesce("TeamId", 0);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Conversations_Counts_Insert" ON "Conversations";
                DROP TRIGGER IF EXISTS "Conversations_Counts_Update" ON "Conversations";
                DROP TRIGGER IF EXISTS "Conversations_Counts_Delete" ON "Conversations";
                DROP FUNCTION IF EXISTS unilink_conversation_counts();
                """);
            migrationBuilder.DropTable(
                name: "ConversationCounts");
        }
    }
}
