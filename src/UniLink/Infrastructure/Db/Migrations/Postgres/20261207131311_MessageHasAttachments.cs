using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MessageHasAttachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HasAttachments",
                table: "Messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // The messages that have attachments already (MessageService keeps the flag from now on).
            migrationBuilder.Sql("""
                UPDATE "Messages" SET "HasAttachments" = TRUE WHERE "Id" IN (SELECT "MessageId" FROM "Attachments");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HasAttachments",
                table: "Messages");
        }
    }
}
