using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
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
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    Week = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactWeekCounts", x => new { x.AccountId, x.Week });
                });

            migrationBuilder.CreateTable(
                name: "ConversationWeekCounts",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Week = table.Column<int>(type: "integer", nullable: false),
                    InboxId = table.Column<int>(type: "integer", nullable: false),
                    AssigneeId = table.Column<int>(type: "integer", nullable: false),
                    TeamId = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationWeekCounts", x => new { x.AccountId, x.Status, x.Week, x.InboxId, x.AssigneeId, x.TeamId });
                });

            // The week counts (Features/Conversations/ConversationWeekCount, Features/Contacts/ContactWeekCount), kept as
            // ConversationCounts and ContactCounts are: in the transaction of every write, whatever made it. A week is
            // floor(seconds since 1970 / 604800) of the last activity (Infrastructure/Db/ActivityWeeks). Statement
            // triggers apply a statement's changes per key in the key's order (no two transactions lock the rows in
            // opposite orders); a change that moves nothing to another key or week adds nothing (HAVING). A contact's
            // update is a row trigger that fires only when its account or week changes (most updates change neither).
            migrationBuilder.Sql("""
                CREATE FUNCTION unilink_week(t timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
                  RETURN floor(extract(epoch FROM t) / 604800)::integer;
                CREATE FUNCTION unilink_conversation_week_counts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO "ConversationWeekCounts" AS k ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId", "Count")
                    SELECT a, s, w, i, u, t, sum(d) FROM (SELECT "AccountId" AS a, "Status" AS s, unilink_week("LastActivityAt") AS w, "InboxId" AS i, coalesce("AssigneeId", 0) AS u, coalesce("TeamId", 0) AS t, 1 AS d FROM unilink_week_added) x
                    GROUP BY a, s, w, i, u, t HAVING sum(d) <> 0 ORDER BY a, s, w, i, u, t
                    ON CONFLICT ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  ELSIF TG_OP = 'DELETE' THEN
                    INSERT INTO "ConversationWeekCounts" AS k ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId", "Count")
                    SELECT a, s, w, i, u, t, sum(d) FROM (SELECT "AccountId" AS a, "Status" AS s, unilink_week("LastActivityAt") AS w, "InboxId" AS i, coalesce("AssigneeId", 0) AS u, coalesce("TeamId", 0) AS t, -1 AS d FROM unilink_week_removed) x
                    GROUP BY a, s, w, i, u, t HAVING sum(d) <> 0 ORDER BY a, s, w, i, u, t
                    ON CONFLICT ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  ELSE
                    INSERT INTO "ConversationWeekCounts" AS k ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId", "Count")
                    SELECT a, s, w, i, u, t, sum(d) FROM (SELECT "AccountId" AS a, "Status" AS s, unilink_week("LastActivityAt") AS w, "InboxId" AS i, coalesce("AssigneeId", 0) AS u, coalesce("TeamId", 0) AS t, 1 AS d FROM unilink_week_added UNION ALL SELECT "AccountId" AS a, "Status" AS s, unilink_week("LastActivityAt") AS w, "InboxId" AS i, coalesce("AssigneeId", 0) AS u, coalesce("TeamId", 0) AS t, -1 AS d FROM unilink_week_removed) x
                    GROUP BY a, s, w, i, u, t HAVING sum(d) <> 0 ORDER BY a, s, w, i, u, t
                    ON CONFLICT ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  END IF;
                  RETURN NULL;
                END $$;
                CREATE TRIGGER "Conversations_WeekCounts_Insert" AFTER INSERT ON "Conversations"
                  REFERENCING NEW TABLE AS unilink_week_added FOR EACH STATEMENT EXECUTE FUNCTION unilink_conversation_week_counts();
                CREATE TRIGGER "Conversations_WeekCounts_Update" AFTER UPDATE ON "Conversations"
                  REFERENCING OLD TABLE AS unilink_week_removed NEW TABLE AS unilink_week_added FOR EACH STATEMENT EXECUTE FUNCTION unilink_conversation_week_counts();
                CREATE TRIGGER "Conversations_WeekCounts_Delete" AFTER DELETE ON "Conversations"
                  REFERENCING OLD TABLE AS unilink_week_removed FOR EACH STATEMENT EXECUTE FUNCTION unilink_conversation_week_counts();
                INSERT INTO "ConversationWeekCounts" ("AccountId", "Status", "Week", "InboxId", "AssigneeId", "TeamId", "Count")
                SELECT "AccountId", "Status", unilink_week("LastActivityAt"), "InboxId", coalesce("AssigneeId", 0), coalesce("TeamId", 0), count(*)
                FROM "Conversations" GROUP BY 1, 2, 3, 4, 5, 6;

                CREATE FUNCTION unilink_contact_week_counts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO "ContactWeekCounts" AS k ("AccountId", "Week", "Count")
                    SELECT "AccountId", unilink_week(coalesce("LastActivityAt", "CreatedAt")) AS w, count(*) FROM unilink_contact_week_added
                    GROUP BY 1, 2 ORDER BY 1, 2
                    ON CONFLICT ("AccountId", "Week") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  ELSE
                    INSERT INTO "ContactWeekCounts" AS k ("AccountId", "Week", "Count")
                    SELECT "AccountId", unilink_week(coalesce("LastActivityAt", "CreatedAt")) AS w, -count(*) FROM unilink_contact_week_removed
                    GROUP BY 1, 2 ORDER BY 1, 2
                    ON CONFLICT ("AccountId", "Week") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  END IF;
                  RETURN NULL;
                END $$;
                CREATE FUNCTION unilink_contact_week_moved() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO "ContactWeekCounts" AS k ("AccountId", "Week", "Count")
                  SELECT a, w, d FROM (VALUES
                    (old."AccountId", unilink_week(coalesce(old."LastActivityAt", old."CreatedAt")), -1),
                    (new."AccountId", unilink_week(coalesce(new."LastActivityAt", new."CreatedAt")), 1)) x (a, w, d) ORDER BY a, w
                  ON CONFLICT ("AccountId", "Week") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  RETURN NULL;
                END $$;
                CREATE TRIGGER "Contacts_WeekCounts_Insert" AFTER INSERT ON "Contacts"
                  REFERENCING NEW TABLE AS unilink_contact_week_added FOR EACH STATEMENT EXECUTE FUNCTION unilink_contact_week_counts();
                CREATE TRIGGER "Contacts_WeekCounts_Delete" AFTER DELETE ON "Contacts"
                  REFERENCING OLD TABLE AS unilink_contact_week_removed FOR EACH STATEMENT EXECUTE FUNCTION unilink_contact_week_counts();
                CREATE TRIGGER "Contacts_WeekCounts_Update" AFTER UPDATE OF "AccountId", "LastActivityAt", "CreatedAt" ON "Contacts" FOR EACH ROW
                  WHEN (old."AccountId" IS DISTINCT FROM new."AccountId"
                    OR unilink_week(coalesce(old."LastActivityAt", old."CreatedAt")) <> unilink_week(coalesce(new."LastActivityAt", new."CreatedAt")))
                  EXECUTE FUNCTION unilink_contact_week_moved();
                INSERT INTO "ContactWeekCounts" ("AccountId", "Week", "Count")
                SELECT "AccountId", unilink_week(coalesce("LastActivityAt", "CreatedAt")), count(*) FROM "Contacts" GROUP BY 1, 2;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Conversations_WeekCounts_Insert" ON "Conversations";
                DROP TRIGGER IF EXISTS "Conversations_WeekCounts_Update" ON "Conversations";
                DROP TRIGGER IF EXISTS "Conversations_WeekCounts_Delete" ON "Conversations";
                DROP TRIGGER IF EXISTS "Contacts_WeekCounts_Insert" ON "Contacts";
                DROP TRIGGER IF EXISTS "Contacts_WeekCounts_Delete" ON "Contacts";
                DROP TRIGGER IF EXISTS "Contacts_WeekCounts_Update" ON "Contacts";
                DROP FUNCTION IF EXISTS unilink_conversation_week_counts();
                DROP FUNCTION IF EXISTS unilink_contact_week_counts();
                DROP FUNCTION IF EXISTS unilink_contact_week_moved();
                DROP FUNCTION IF EXISTS unilink_week(timestamptz);
                """);
            migrationBuilder.DropTable(
                name: "ContactWeekCounts");

            migrationBuilder.DropTable(
                name: "ConversationWeekCounts");
        }
    }
}
