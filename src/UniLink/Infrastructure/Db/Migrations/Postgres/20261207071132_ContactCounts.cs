using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContactCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ContactCounts",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactCounts", x => x.AccountId);
                });

            // The unfiltered contacts list's count (Features/Contacts/ContactCount), kept in the transaction of every
            // write to "Contacts", whatever made it (EF, an import, a merge, plain SQL, an account's cascade). Inserts and
            // deletes through statement triggers, as the conversations' counts: a statement's rows added up per account,
            // applied in the accounts' order. A contact that moves to another account (nothing does today) through a row
            // trigger on that column alone: a statement trigger on every update would copy each updated contact (their
            // activity changes with every message) into transition tables for nothing.
            migrationBuilder.Sql("""
                CREATE FUNCTION unilink_contact_counts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO "ContactCounts" AS k ("AccountId", "Count")
                    SELECT "AccountId", count(*) FROM unilink_contacts_added GROUP BY "AccountId" ORDER BY "AccountId"
                    ON CONFLICT ("AccountId") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  ELSE
                    INSERT INTO "ContactCounts" AS k ("AccountId", "Count")
                    SELECT "AccountId", -count(*) FROM unilink_contacts_removed GROUP BY "AccountId" ORDER BY "AccountId"
                    ON CONFLICT ("AccountId") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  END IF;
                  RETURN NULL;
                END $$;
                CREATE FUNCTION unilink_contact_moved() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO "ContactCounts" AS k ("AccountId", "Count")
                  SELECT a, d FROM (VALUES (OLD."AccountId", -1), (NEW."AccountId", 1)) v(a, d) ORDER BY a
                  ON CONFLICT ("AccountId") DO UPDATE SET "Count" = k."Count" + excluded."Count";
                  RETURN NULL;
                END $$;
                CREATE TRIGGER "Contacts_Counts_Insert" AFTER INSERT ON "Contacts"
                  REFERENCING NEW TABLE AS unilink_contacts_added FOR EACH STATEMENT EXECUTE FUNCTION unilink_contact_counts();
                CREATE TRIGGER "Contacts_Counts_Delete" AFTER DELETE ON "Contacts"
                  REFERENCING OLD TABLE AS unilink_contacts_removed FOR EACH STATEMENT EXECUTE FUNCTION unilink_contact_counts();
                CREATE TRIGGER "Contacts_Counts_Update" AFTER UPDATE OF "AccountId" ON "Contacts"
                  FOR EACH ROW WHEN (OLD."AccountId" IS DISTINCT FROM NEW."AccountId") EXECUTE FUNCTION unilink_contact_moved();
                INSERT INTO "ContactCounts" ("AccountId", "Count") SELECT "AccountId", count(*) FROM "Contacts" GROUP BY "AccountId";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Contacts_Counts_Insert" ON "Contacts";
                DROP TRIGGER IF EXISTS "Contacts_Counts_Update" ON "Contacts";
                DROP TRIGGER IF EXISTS "Contacts_Counts_Delete" ON "Contacts";
                DROP FUNCTION IF EXISTS unilink_contact_counts();
                DROP FUNCTION IF EXISTS unilink_contact_moved();
                """);
            migrationBuilder.DropTable(
                name: "ContactCounts");
        }
    }
}
