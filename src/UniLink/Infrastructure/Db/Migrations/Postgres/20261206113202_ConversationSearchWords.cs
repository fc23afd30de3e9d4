using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UniLink.Infrastructure.Db.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConversationSearchWords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Each conversation's words (Features/Search/FullTextSearch): the words of its messages but activity, one
            // tsvector without positions, GIN-indexed, so that a search is a condition on the conversation row. Kept
            // out of line (TOAST) so that the lists' reads of conversation rows stay as small as before. The model does
            // not know the column: EF never reads or writes it; triggers on "Messages" keep it (a statement's new
            // messages are added; a conversation whose messages were deleted or changed is read again). A conversation
            // holds the words of its first 400,000 characters and stops growing at about 250 kB of distinct words
            // (a tsvector holds at most 1 MB).
            migrationBuilder.Sql("""
                ALTER TABLE "Conversations" ADD COLUMN "SearchWords" tsvector;
                ALTER TABLE "Conversations" ALTER COLUMN "SearchWords" SET STORAGE EXTERNAL;
                ALTER TABLE "Conversations" SET (toast_tuple_target = 128);

                CREATE FUNCTION unilink_words_of(content text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
                  AS $$ SELECT strip(to_tsvector('simple', left(coalesce(content, ''), 400000))) $$;
                CREATE FUNCTION unilink_words_add(words tsvector, more tsvector) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
                  AS $$ SELECT CASE WHEN more IS NULL THEN words WHEN words IS NULL THEN more
                                    WHEN pg_column_size(words) + pg_column_size(more) < 250000 THEN words || more ELSE words END $$;
                -- The search conditions (FullTextSearch.ConversationWordsMatch, MessageContentMatches): PostgreSQL
                -- inlines them into the query, where the GIN indexes serve them.
                CREATE FUNCTION unilink_words_match(words tsvector, query text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
                  AS $$ SELECT words @@ to_tsquery('simple', query) $$;
                CREATE FUNCTION unilink_content_match(content text, query text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
                  AS $$ SELECT to_tsvector('simple', coalesce(content, '')) @@ to_tsquery('simple', query) $$;

                CREATE FUNCTION unilink_messages_added() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE "Conversations" c SET "SearchWords" = unilink_words_add(c."SearchWords", n.words)
                  FROM (SELECT "ConversationId", unilink_words_of(string_agg("Content", ' ' ORDER BY "Id")) AS words
                        FROM added WHERE "MessageType" <> 2 AND "Content" IS NOT NULL GROUP BY "ConversationId") n
                  WHERE c."Id" = n."ConversationId";
                  RETURN NULL;
                END $$;
                CREATE FUNCTION unilink_messages_removed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE "Conversations" c SET "SearchWords" = (
                      SELECT unilink_words_of(string_agg(m."Content", ' ' ORDER BY m."Id")) FROM "Messages" m
                      WHERE m."ConversationId" = c."Id" AND m."MessageType" <> 2 AND m."Content" IS NOT NULL)
                  WHERE c."Id" IN (SELECT "ConversationId" FROM removed);
                  RETURN NULL;
                END $$;
                CREATE FUNCTION unilink_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE "Conversations" c SET "SearchWords" = (
                      SELECT unilink_words_of(string_agg(m."Content", ' ' ORDER BY m."Id")) FROM "Messages" m
                      WHERE m."ConversationId" = c."Id" AND m."MessageType" <> 2 AND m."Content" IS NOT NULL)
                  WHERE c."Id" IN (
                      SELECT unnest(ARRAY[o."ConversationId", n."ConversationId"]) FROM removed o JOIN added n ON n."Id" = o."Id"
                      WHERE o."Content" IS DISTINCT FROM n."Content" OR o."MessageType" <> n."MessageType" OR o."ConversationId" <> n."ConversationId");
                  RETURN NULL;
                END $$;
                CREATE TRIGGER "Messages_SearchWords_Insert" AFTER INSERT ON "Messages"
                  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION unilink_messages_added();
                CREATE TRIGGER "Messages_SearchWords_Update" AFTER UPDATE ON "Messages"
                  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION unilink_messages_changed();
                CREATE TRIGGER "Messages_SearchWords_Delete" AFTER DELETE ON "Messages"
                  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION unilink_messages_removed();

                UPDATE "Conversations" c SET "SearchWords" = w.words
                FROM (SELECT "ConversationId", unilink_words_of(string_agg("Content", ' ' ORDER BY "Id")) AS words
                      FROM "Messages" WHERE "MessageType" <> 2 AND "Content" IS NOT NULL GROUP BY "ConversationId") w
                WHERE c."Id" = w."ConversationId";
                CREATE INDEX "IX_Conversations_SearchWords" ON "Conversations" USING gin ("SearchWords");
                ANALYZE "Conversations";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Messages_SearchWords_Insert" ON "Messages";
                DROP TRIGGER IF EXISTS "Messages_SearchWords_Update" ON "Messages";
                DROP TRIGGER IF EXISTS "Messages_SearchWords_Delete" ON "Messages";
                DROP FUNCTION IF EXISTS unilink_messages_added();
                DROP FUNCTION IF EXISTS unilink_messages_changed();
                DROP FUNCTION IF EXISTS unilink_messages_removed();
                DROP FUNCTION IF EXISTS unilink_words_match(tsvector, text);
                DROP FUNCTION IF EXISTS unilink_content_match(text, text);
                DROP FUNCTION IF EXISTS unilink_words_add(tsvector, tsvector);
                DROP FUNCTION IF EXISTS unilink_words_of(text);
                DROP INDEX IF EXISTS "IX_Conversations_SearchWords";
                ALTER TABLE "Conversations" DROP COLUMN IF EXISTS "SearchWords";
                ALTER TABLE "Conversations" RESET (toast_tuple_target);
                """);
        }
    }
}
