using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
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
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    InboxId = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    AssigneeId = table.Column<int>(type: "INTEGER", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationCounts", x => new { x.AccountId, x.InboxId, x.Status, x.AssigneeId, x.TeamId });
                });

            // The list's counts (Features/Conversations/ConversationCount), kept in the transaction of every write to
            // "Conversations", whatever made it (EF, a bulk update, a foreign key's cascade or SET NULL).
            migrationBuilder.Sql("""
                CREATE TRIGGER "Conversations_Counts_Insert" AFTER INSERT ON "Conversations" BEGIN
                  INSERT INTO "ConversationCounts" ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "Count")
                  VALUES (new."AccountId", new."InboxId", new."Status", coalesce(new."AssigneeId", 0), coalesce(new."TeamId", 0), 1)
                  ON CONFLICT ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                CREATE TRIGGER "Conversations_Counts_Delete" AFTER DELETE ON "Conversations" BEGIN
                  INSERT INTO "ConversationCounts" ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "Count")
                  VALUES (old."AccountId", old."InboxId", old."Status", coalesce(old."AssigneeId", 0), coalesce(old."TeamId", 0), -1)
                  ON CONFLICT ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                CREATE TRIGGER "Conversations_Counts_Update" AFTER UPDATE OF "AccountId", "InboxId", "Status", "AssigneeId", "TeamId" ON "Conversations"
                  WHEN old."AccountId" IS NOT new."AccountId" OR old."InboxId" IS NOT new."InboxId" OR old."Status" IS NOT new."Status"
                    OR old."AssigneeId" IS NOT new."AssigneeId" OR old."TeamId" IS NOT new."TeamId" BEGIN
                  INSERT INTO "ConversationCounts" ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "Count")
                  VALUES (old."AccountId", old."InboxId", old."Status", coalesce(old."AssigneeId", 0), coalesce(old."TeamId", 0), -1)
                  ON CONFLICT ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                  INSERT INTO "ConversationCounts" ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "Count")
                  VALUES (new."AccountId", new."InboxId", new."Status", coalesce(new."AssigneeId", 0), coalesce(new."TeamId", 0), 1)
                  ON CONFLICT ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                INSERT INTO "ConversationCounts" ("AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "Count")
                SELECT "AccountId", "InboxId", "Status", coalesce("AssigneeId", 0), coalesce("TeamId", 0), count(*)
                FROM "Conversations" GROUP BY "AccountId", "InboxId", "Status", coalesce("AssigneeId", 0), coalesce("TeamId", 0);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Conversations_Counts_Insert";
                DROP TRIGGER IF EXISTS "Conversations_Counts_Delete";
                DROP TRIGGER IF EXISTS "Conversations_Counts_Update";
                """);
            migrationBuilder.DropTable(
                name: "ConversationCounts");
        }
    }
}
