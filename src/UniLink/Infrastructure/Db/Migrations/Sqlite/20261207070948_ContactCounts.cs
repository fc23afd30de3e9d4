using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
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
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactCounts", x => x.AccountId);
                });

            // The unfiltered contacts list's count (Features/Contacts/ContactCount), kept in the transaction of every
            // write to "Contacts", whatever made it (EF, an import, a merge, plain SQL, an account's cascade).
            migrationBuilder.Sql("""
                CREATE TRIGGER "Contacts_Counts_Insert" AFTER INSERT ON "Contacts" BEGIN
                  INSERT INTO "ContactCounts" ("AccountId", "Count") VALUES (new."AccountId", 1)
                  ON CONFLICT ("AccountId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                CREATE TRIGGER "Contacts_Counts_Delete" AFTER DELETE ON "Contacts" BEGIN
                  INSERT INTO "ContactCounts" ("AccountId", "Count") VALUES (old."AccountId", -1)
                  ON CONFLICT ("AccountId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                CREATE TRIGGER "Contacts_Counts_Update" AFTER UPDATE OF "AccountId" ON "Contacts"
                  WHEN old."AccountId" IS NOT new."AccountId" BEGIN
                  INSERT INTO "ContactCounts" ("AccountId", "Count") VALUES (old."AccountId", -1)
                  ON CONFLICT ("AccountId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                  INSERT INTO "ContactCounts" ("AccountId", "Count") VALUES (new."AccountId", 1)
                  ON CONFLICT ("AccountId") DO UPDATE SET "Count" = "Count" + excluded."Count";
                END;
                INSERT INTO "ContactCounts" ("AccountId", "Count") SELECT "AccountId", count(*) FROM "Contacts" GROUP BY "AccountId";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Contacts_Counts_Insert";
                DROP TRIGGER IF EXISTS "Contacts_Counts_Delete";
                DROP TRIGGER IF EXISTS "Contacts_Counts_Update";
                """);
            migrationBuilder.DropTable(
                name: "ContactCounts");
        }
    }
}
