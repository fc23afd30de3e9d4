using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScaleIndexesAndSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_AccountId_Status_LastActivityAt",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_ConversationId_MessageType_CreatedAt",
                table: "Messages",
                columns: new[] { "ConversationId", "MessageType", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_AccountId_AssigneeId",
                table: "Conversations",
                columns: new[] { "AccountId", "AssigneeId" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_AccountId_LastActivityAt_Id",
                table: "Conversations",
                columns: new[] { "AccountId", "LastActivityAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_AccountId_Status_AssigneeId",
                table: "Conversations",
                columns: new[] { "AccountId", "Status", "AssigneeId" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_AccountId_Status_LastActivityAt_Id",
                table: "Conversations",
                columns: new[] { "AccountId", "Status", "LastActivityAt", "Id" });

            // Full-text search (Features/Search): words of messages (tsvector, GIN), any part of a contact's name,
            // email, phone number or identifier (pg_trgm, GIN); the contacts list's order. Expressions the model cannot say.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX "IX_Messages_Content_Words" ON "Messages" USING gin (to_tsvector('simple', coalesce("Content", '')));
                CREATE INDEX "IX_Contacts_Search_Text" ON "Contacts" USING gin ((lower(coalesce("Name", '') || ' ' || coalesce("Email", '') || ' ' || coalesce("PhoneNumber", '') || ' ' || coalesce("Identifier", ''))) gin_trgm_ops);
                CREATE INDEX "IX_Contacts_AccountId_Activity" ON "Contacts" ("AccountId", (COALESCE("LastActivityAt", "CreatedAt")) DESC, "Id" DESC);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_Messages_Content_Words";
                DROP INDEX IF EXISTS "IX_Contacts_Search_Text";
                DROP INDEX IF EXISTS "IX_Contacts_AccountId_Activity";
                """);

            migrationBuilder.DropIndex(
                name: "IX_Messages_ConversationId_MessageType_CreatedAt",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_AccountId_AssigneeId",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_AccountId_LastActivityAt_Id",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_AccountId_Status_AssigneeId",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_AccountId_Status_LastActivityAt_Id",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_AccountId_Status_LastActivityAt",
                table: "Conversations",
                columns: new[] { "AccountId", "Status", "LastActivityAt" });
        }
    }
}
