using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebsiteInboxWidget : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AllowedDomains",
                table: "Inboxes",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "ContinuityViaEmail",
                table: "Inboxes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "HmacMandatory",
                table: "Inboxes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "PreChatFormEnabled",
                table: "Inboxes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PreChatFormOptions",
                table: "Inboxes",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ReplyTime",
                table: "Inboxes",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "WelcomeTagline",
                table: "Inboxes",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WelcomeTitle",
                table: "Inboxes",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WidgetColor",
                table: "Inboxes",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllowedDomains",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "ContinuityViaEmail",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "HmacMandatory",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "PreChatFormEnabled",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "PreChatFormOptions",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "ReplyTime",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "WelcomeTagline",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "WelcomeTitle",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "WidgetColor",
                table: "Inboxes");
        }
    }
}
