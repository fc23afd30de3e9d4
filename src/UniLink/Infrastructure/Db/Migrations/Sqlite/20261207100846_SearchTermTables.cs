using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchTermTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The words the search indexes hold, one row per occurrence, in word order (Features/Search/FullTextSearch
            // .SqliteMatchAsync): a word's beginning is looked up here and searched as the words it begins, which FTS5
            // reads as stored instead of merging every such word's list first.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ConversationMessagesSearchTerms" USING fts5vocab('ConversationMessagesSearch', 'instance');
                CREATE VIRTUAL TABLE "MessagesSearchTerms" USING fts5vocab('MessagesSearch', 'instance');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE IF EXISTS "ConversationMessagesSearchTerms";
                DROP TABLE IF EXISTS "MessagesSearchTerms";
                """);
        }
    }
}
