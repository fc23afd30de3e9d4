using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConversationWeekCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ContactWeekCounts",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    Week = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactWeekCounts", x => new { x.AccountId, x.Week });
                });

            migrationBuilder.CreateTable(
                name: "ConversationWeekCounts",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Week = table.Column<int>(type: "INTEGER", nullable: false),
                    InboxId = table.Column<int>(type: "INTEGER", nullable: false),
                    AssigneeId = table.Column<int>(type: "INTEGER", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationWeekCounts", x => new { x.AccountId, x.Status, x.Week, x.InboxId, x.AssigneeId, x.TeamId });
                });

            // The week counts (Features/Conversations/ConversationWeekCount, Features/Contacts/ContactWeekCount), kept as
            // ConversationCounts and ContactCounts are: in the transaction of every write, whatever made it. A week is
            // whole seconds since 1970 / 604800 of the last activity (Infrastructure/Db/ActivityWeeks); an update that
            // moves a row to no other key or week writes nothing (WHEN).
            migrationBuilder.Sql("""
                CREATE TRIGGER "Conversations_WeekCounts_Insert" AFTER INSERT ON "Conversations" BEGIN
                  INSERT INTO "ConversationWeekCounts" ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId", "Count")
                  VALUES (new."AccountId", new."Status", CAST(strftime('%s', new."LastActivityAt") AS INTEGER) / 604800, new."InboxId", coalesce(new."AssigneeId", 0), coalesce(new."TeamId", 0), 1)
                  ON CONFLICT ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                CREATE TRIGGER "Conversations_WeekCounts_Delete" AFTER DELETE ON "Conversations" BEGIN
                  INSERT INTO "ConversationWeekCounts" ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId", "Count")
                  VALUES (old."AccountId", old."Status", CAST(strftime('%s', old."LastActivityAt") AS INTEGER) / 604800, old."InboxId", coalesce(old."AssigneeId", 0), coalesce(old."TeamId", 0), -1)
                  ON CONFLICT ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                CREATE TRIGGER "Conversations_WeekCounts_Update" AFTER UPDATE OF "AccountId", "InboxId", "Status", "AssigneeId", "TeamId", "LastActivityAt" ON "Conversations"
                  WHEN old."AccountId" IS NOT new."AccountId" OR old."InboxId" IS NOT new."InboxId" OR old."Status" IS NOT new."Status"
                    OR old."AssigneeId" IS NOT new."AssigneeId" OR old."TeamId" IS NOT new."TeamId"
                    OR CAST(strftime('%s', old."LastActivityAt") AS INTEGER) / 604800 IS NOT CAST(strftime('%s', new."LastActivityAt") AS INTEGER) / 604800 BEGIN
                  INSERT INTO "ConversationWeekCounts" ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId", "Count")
                  VALUES (old."AccountId", old."Status", CAST(strftime('%s', old."LastActivityAt") AS INTEGER) / 604800, old."InboxId", coalesce(old."AssigneeId", 0), coalesce(old."TeamId", 0), -1)
                  ON CONFLICT ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                  INSERT INTO "ConversationWeekCounts" ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId", "Count")
                  VALUES (new."AccountId", new."Status", CAST(strftime('%s', new."LastActivityAt") AS INTEGER) / 604800, new."InboxId", coalesce(new."AssigneeId", 0), coalesce(new."TeamId", 0), 1)
                  ON CONFLICT ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                INSERT INTO "ConversationWeekCounts" ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId", "Count")
                SELECT "AccountId", "Status", CAST(strftime('%s', "LastActivityAt") AS INTEGER) / 604800, "InboxId", coalesce("AssigneeId", 0), coalesce("TeamId", 0), count(*)
                FROM "Conversations" GROUP BY 1, 2, 3, 4, 5, 6;

                CREATE TRIGGER "Contacts_WeekCounts_Insert" AFTER INSERT ON "Contacts" BEGIN
                  INSERT INTO "ContactWeekCounts" ("AccountId", "Week", "Count") VALUES (new."AccountId", CAST(strftime('%s', coalesce(new."LastActivityAt", new."CreatedAt")) AS INTEGER) / 604800, 1)
                  ON CONFLICT ("AccountId", "Week") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                CREATE TRIGGER "Contacts_WeekCounts_Delete" AFTER DELETE ON "Contacts" BEGIN
                  INSERT INTO "ContactWeekCounts" ("AccountId", "Week", "Count") VALUES (old."AccountId", CAST(strftime('%s', coalesce(old."LastActivityAt", old."CreatedAt")) AS INTEGER) / 604800, -1)
                  ON CONFLICT ("AccountId", "Week") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                CREATE TRIGGER "Contacts_WeekCounts_Update" AFTER UPDATE OF "AccountId", "LastActivityAt", "CreatedAt" ON "Contacts"
                  WHEN old."AccountId" IS NOT new."AccountId" OR CAST(strftime('%s', coalesce(old."LastActivityAt", old."CreatedAt")) AS INTEGER) / 604800 IS NOT CAST(strftime('%s', coalesce(new."LastActivityAt", new."CreatedAt")) AS INTEGER) / 604800 BEGIN
                  INSERT INTO "ContactWeekCounts" ("AccountId", "Week", "Count") VALUES (old."AccountId", CAST(strftime('%s', coalesce(old."LastActivityAt", old."CreatedAt")) AS INTEGER) / 604800, -1)
                  ON CONFLICT ("AccountId", "Week") DO UPDATE SET "Count" = "Count" + excluded."Count";
                  INSERT INTO "ContactWeekCounts" ("AccountId", "Week", "Count") VALUES (new."AccountId", CAST(strftime('%s', coalesce(new."LastActivityAt", new."CreatedAt")) AS INTEGER) / 604800, 1)
                  ON CONFLICT ("AccountId", "Week") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                INSERT INTO "ContactWeekCounts" ("AccountId", "Week", "Count")
                SELECT "AccountId", CAST(strftime('%s', coalesce("LastActivityAt", "CreatedAt")) AS INTEGER) / 604800, count(*) FROM "Contacts" GROUP BY 1, 2;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Conversations_WeekCounts_Insert";
                DROP TRIGGER IF EXISTS "Conversations_WeekCounts_Delete";
                DROP TRIGGER IF EXISTS "Conversations_WeekCounts_Update";
                DROP TRIGGER IF EXISTS "Contacts_WeekCounts_Insert";
                DROP TRIGGER IF EXISTS "Contacts_WeekCounts_Delete";
                DROP TRIGGER IF EXISTS "Contacts_WeekCounts_Update";
                """);
            migrationBuilder.DropTable(
                name: "ContactWeekCounts");

            migrationBuilder.DropTable(
                name: "ConversationWeekCounts");
        }
    }
}
