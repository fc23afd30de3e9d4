using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
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

            // Full-text search (Features/Search): FTS5 over messages (kept by triggers) and a trigram FTS5 table over
            // contacts' name, email, phone number and identifier; the contacts list's order. The model cannot say these.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "MessagesSearch" USING fts5("Content", content='Messages', content_rowid='Id');
                CREATE TRIGGER "Messages_Search_Insert" AFTER INSERT ON "Messages" BEGIN
                  INSERT INTO "MessagesSearch"(rowid, "Content") VALUES (new."Id", new."Content");
                END;
                CREATE TRIGGER "Messages_Search_Delete" AFTER DELETE ON "Messages" BEGIN
                  INSERT INTO "MessagesSearch"("MessagesSearch", rowid, "Content") VALUES ('delete', old."Id", old."Content");
                END;
                CREATE TRIGGER "Messages_Search_Update" AFTER UPDATE OF "Content" ON "Messages" BEGIN
                  INSERT INTO "MessagesSearch"("MessagesSearch", rowid, "Content") VALUES ('delete', old."Id", old."Content");
                  INSERT INTO "MessagesSearch"(rowid, "Content") VALUES (new."Id", new."Content");
                END;
                INSERT INTO "MessagesSearch"("MessagesSearch") VALUES ('rebuild');
                CREATE VIRTUAL TABLE "ContactsSearch" USING fts5("Text", tokenize='trigram');
                CREATE TRIGGER "Contacts_Search_Insert" AFTER INSERT ON "Contacts" BEGIN
                  INSERT INTO "ContactsSearch"(rowid, "Text") VALUES (new."Id", lower(coalesce(new."Name", '') || ' ' || coalesce(new."Email", '') || ' ' || coalesce(new."PhoneNumber", '') || ' ' || coalesce(new."Identifier", '')));
                END;
                CREATE TRIGGER "Contacts_Search_Update" AFTER UPDATE OF "Name", "Email", "PhoneNumber", "Identifier" ON "Contacts" BEGIN
                  UPDATE "ContactsSearch" SET "Text" = lower(coalesce(new."Name", '') || ' ' || coalesce(new."Email", '') || ' ' || coalesce(new."PhoneNumber", '') || ' ' || coalesce(new."Identifier", '')) WHERE rowid = new."Id";
                END;
                CREATE TRIGGER "Contacts_Search_Delete" AFTER DELETE ON "Contacts" BEGIN
                  DELETE FROM "ContactsSearch" WHERE rowid = old."Id";
                END;
                INSERT INTO "ContactsSearch"(rowid, "Text") SELECT "Id", lower(coalesce("Name", '') || ' ' || coalesce("Email", '') || ' ' || coalesce("PhoneNumber", '') || ' ' || coalesce("Identifier", '')) FROM "Contacts";
                CREATE INDEX "IX_Contacts_AccountId_Activity" ON "Contacts" ("AccountId", COALESCE("LastActivityAt", "CreatedAt") DESC, "Id" DESC);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Messages_Search_Insert";
                DROP TRIGGER IF EXISTS "Messages_Search_Delete";
                DROP TRIGGER IF EXISTS "Messages_Search_Update";
                DROP TABLE IF EXISTS "MessagesSearch";
                DROP TRIGGER IF EXISTS "Contacts_Search_Insert";
                DROP TRIGGER IF EXISTS "Contacts_Search_Update";
                DROP TRIGGER IF EXISTS "Contacts_Search_Delete";
                DROP TABLE IF EXISTS "ContactsSearch";
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
