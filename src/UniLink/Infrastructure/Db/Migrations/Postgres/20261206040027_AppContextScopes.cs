using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
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
                type: "text",
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
