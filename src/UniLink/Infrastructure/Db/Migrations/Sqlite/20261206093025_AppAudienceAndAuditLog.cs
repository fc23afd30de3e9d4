using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppAudienceAndAuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AudienceTeamIds",
                table: "DashboardApps",
                type: "TEXT",
                maxLength: 2048,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "AudienceUserIds",
                table: "DashboardApps",
                type: "TEXT",
                maxLength: 2048,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "AppAuditLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    AppId = table.Column<int>(type: "INTEGER", nullable: false),
                    AppTitle = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Event = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<int>(type: "INTEGER", nullable: true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    ConversationId = table.Column<int>(type: "INTEGER", nullable: true),
                    Request = table.Column<string>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", nullable: true),
                    Changes = table.Column<string>(type: "TEXT", nullable: true),
                    SampleKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppAuditLog", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AppAuditLog_AccountId_AppId",
                table: "AppAuditLog",
                columns: new[] { "AccountId", "AppId" });

            migrationBuilder.CreateIndex(
                name: "IX_AppAuditLog_AccountId_CreatedAt",
                table: "AppAuditLog",
                columns: new[] { "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AppAuditLog_CreatedAt",
                table: "AppAuditLog",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_AppAuditLog_SampleKey",
                table: "AppAuditLog",
                column: "SampleKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AppAuditLog");

            migrationBuilder.DropColumn(
                name: "AudienceTeamIds",
                table: "DashboardApps");

            migrationBuilder.DropColumn(
                name: "AudienceUserIds",
                table: "DashboardApps");
        }
    }
}
