using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
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
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "AudienceUserIds",
                table: "DashboardApps",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "AppAuditLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    AppId = table.Column<int>(type: "integer", nullable: false),
                    AppTitle = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Event = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UserId = table.Column<int>(type: "integer", nullable: true),
                    UserName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    ConversationId = table.Column<int>(type: "integer", nullable: true),
                    Request = table.Column<string>(type: "text", nullable: true),
                    Outcome = table.Column<string>(type: "text", nullable: true),
                    Changes = table.Column<string>(type: "text", nullable: true),
                    SampleKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
