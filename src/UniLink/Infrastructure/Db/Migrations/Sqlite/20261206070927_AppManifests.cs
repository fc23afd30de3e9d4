using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ManifestUrl",
                table: "DashboardApps",
                type: "TEXT",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingManifest",
                table: "DashboardApps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestDomains",
                table: "DashboardApps",
                type: "TEXT",
                maxLength: 8192,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SecretSettingsCiphertext",
                table: "DashboardApps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SettingValues",
                table: "DashboardApps",
                type: "TEXT",
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
