using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AppSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecretCiphertext",
                table: "DashboardApps",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecretCiphertext",
                table: "DashboardApps");
        }
    }
}
