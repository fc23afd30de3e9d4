using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConversationsAssigneeOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_AccountId_Status_AssigneeId",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_AccountId_Status_AssigneeId_LastActivityAt_Id",
                table: "Conversations",
                columns: new[] { "AccountId", "Status", "AssigneeId", "LastActivityAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_AccountId_Status_AssigneeId_LastActivityAt_Id",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_AccountId_Status_AssigneeId",
                table: "Conversations",
                columns: new[] { "AccountId", "Status", "AssigneeId" });
        }
    }
}
