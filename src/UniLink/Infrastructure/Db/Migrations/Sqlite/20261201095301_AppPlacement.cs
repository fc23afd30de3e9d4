using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
{
    /// <inheritdoc />
    // Existing apps keep the reference's behaviour: a tab, for everyone, in every inbox.
    public partial class AppPlacement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "InboxIds",
                table: "DashboardApps",
                type: "TEXT",
                maxLength: 2048,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "KeepAlive",
                table: "DashboardApps",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Placement",
                table: "DashboardApps",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "conversation_tab");

            migrationBuilder.AddColumn<string>(
                name: "VisibleTo",
                table: "DashboardApps",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "all");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "InboxIds",
                table: "DashboardApps");

            migrationBuilder.DropColumn(
                name: "KeepAlive",
                table: "DashboardApps");

            migrationBuilder.DropColumn(
                name: "Placement",
                table: "DashboardApps");

            migrationBuilder.DropColumn(
                name: "VisibleTo",
                table: "DashboardApps");
        }
    }
}
