using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AppManifests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Manifest",
                table: "DashboardApps",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ManifestUrl",
                table: "DashboardApps",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingManifest",
                table: "DashboardApps",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestDomains",
                table: "DashboardApps",
                type: "character varying(8192)",
                maxLength: 8192,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SecretSettingsCiphertext",
                table: "DashboardApps",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SettingValues",
                table: "DashboardApps",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Manifest",
                table: "DashboardApps");

            migrationBuilder.DropColumn(
                name: "ManifestUrl",
                table: "DashboardApps");

            migrationBuilder.DropColumn(
                name: "PendingManifest",
                table: "DashboardApps");

            migrationBuilder.DropColumn(
                name: "RequestDomains",
                table: "DashboardApps");

            migrationBuilder.DropColumn(
                name: "SecretSettingsCiphertext",
                table: "DashboardApps");

            migrationBuilder.DropColumn(
                name: "SettingValues",
                table: "DashboardApps");
        }
    }
}
