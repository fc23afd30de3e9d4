using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SessionsHashedTokensInboxHmac : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FailedSignInCount",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "LockedUntil",
                table: "Users");

            migrationBuilder.RenameColumn(
                name: "AccessToken",
                table: "Users",
                newName: "AccessTokenHash");

            migrationBuilder.RenameIndex(
                name: "IX_Users_AccessToken",
                table: "Users",
                newName: "IX_Users_AccessTokenHash");

            migrationBuilder.RenameColumn(
                name: "AccessToken",
                table: "AgentBots",
                newName: "AccessTokenHash");

            migrationBuilder.RenameIndex(
                name: "IX_AgentBots_AccessToken",
                table: "AgentBots",
                newName: "IX_AgentBots_AccessTokenHash");

            migrationBuilder.AddColumn<string>(
                name: "HmacToken",
                table: "Inboxes",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "UserSessions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Client = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UserSessions_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UserSessions_TokenHash",
                table: "UserSessions",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UserSessions_UserId",
                table: "UserSessions",
                column: "UserId");

            // API tokens were stored as they are; from now on only their SHA-256 (hex) is kept.
            migrationBuilder.Sql("UPDATE \"Users\" SET \"AccessTokenHash\" = unilink_token_hash(\"AccessTokenHash\");");
            migrationBuilder.Sql("UPDATE \"AgentBots\" SET \"AccessTokenHash\" = unilink_token_hash(\"AccessTokenHash\");");
            // Each existing inbox gets a random secret of its own for identifier_hash (new inboxes make theirs in code).
            migrationBuilder.Sql("UPDATE \"Inboxes\" SET \"HmacToken\" = lower(hex(randomblob(32)));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UserSessions");

            migrationBuilder.DropColumn(
                name: "HmacToken",
                table: "Inboxes");

            migrationBuilder.RenameColumn(
                name: "AccessTokenHash",
                table: "Users",
                newName: "AccessToken");

            migrationBuilder.RenameIndex(
                name: "IX_Users_AccessTokenHash",
                table: "Users",
                newName: "IX_Users_AccessToken");

            migrationBuilder.RenameColumn(
                name: "AccessTokenHash",
                table: "AgentBots",
                newName: "AccessToken");

            migrationBuilder.RenameIndex(
                name: "IX_AgentBots_AccessTokenHash",
                table: "AgentBots",
                newName: "IX_AgentBots_AccessToken");

            migrationBuilder.AddColumn<int>(
                name: "FailedSignInCount",
                table: "Users",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LockedUntil",
                table: "Users",
                type: "TEXT",
                nullable: true);
        }
    }
}
