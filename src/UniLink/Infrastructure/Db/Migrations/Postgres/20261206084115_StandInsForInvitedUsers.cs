using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StandInsForInvitedUsers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_Email",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "Invitations");

            migrationBuilder.DropColumn(
                name: "PasswordGiven",
                table: "Invitations");

            migrationBuilder.AddColumn<int>(
                name: "StandsInForUserId",
                table: "Users",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_Email",
                table: "Users",
                column: "Email",
                unique: true,
                filter: "\"StandsInForUserId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Users_StandsInForUserId",
                table: "Users",
                column: "StandsInForUserId");

            migrationBuilder.AddForeignKey(
                name: "FK_Users_Users_StandsInForUserId",
                table: "Users",
                column: "StandsInForUserId",
                principalTable: "Users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Users_Users_StandsInForUserId",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_Email",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_StandsInForUserId",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "StandsInForUserId",
                table: "Users");

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "Invitations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PasswordGiven",
                table: "Invitations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Users_Email",
                table: "Users",
                column: "Email",
                unique: true);
        }
    }
}
