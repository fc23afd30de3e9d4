using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppContextScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "WithheldContextScopes",
                table: "DashboardApps",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "WithheldContextScopes",
                table: "DashboardApps");
        }
    }
}
