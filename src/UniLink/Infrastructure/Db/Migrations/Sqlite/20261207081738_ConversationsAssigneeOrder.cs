using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
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

            // The planner's statistics for the new index (without them SQLite guesses its selectivity and may prefer
            // walking the status index for the assigned tab).
            migrationBuilder.Sql("ANALYZE \"Conversations\";");
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
