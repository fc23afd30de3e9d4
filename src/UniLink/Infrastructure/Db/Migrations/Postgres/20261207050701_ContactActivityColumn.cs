using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContactActivityColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ActivityAt",
                table: "Contacts",
                type: "timestamp with time zone",
                nullable: false,
                computedColumnSql: "COALESCE(\"LastActivityAt\", \"CreatedAt\")",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_AccountId_ActivityAt_Id",
                table: "Contacts",
                columns: new[] { "AccountId", "ActivityAt", "Id" },
                descending: new[] { false, true, true });

            // The expression index it replaces (ScaleIndexesAndSearch): the list orders by the column now.
            migrationBuilder.Sql("DROP INDEX \"IX_Contacts_AccountId_Activity\";");
            // The new index's statistics now: without them SQLite's planner walks it whole for a later page's few ids.
            migrationBuilder.Sql("ANALYZE \"Contacts\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_AccountId_ActivityAt_Id",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "ActivityAt",
                table: "Contacts");

            migrationBuilder.Sql("""
                CREATE INDEX "IX_Contacts_AccountId_Activity" ON "Contacts" ("AccountId", (COALESCE("LastActivityAt", "CreatedAt")) DESC, "Id" DESC);
                """);
        }
    }
}
