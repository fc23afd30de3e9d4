using Microsoft.EntityFrameworkCore.Metadata;
using UniLink.Features.Attachments;

namespace UniLink.Features.Platform;

/// <summary>
/// Deletes an account and every row that belongs to it, in one transaction: each table with an <c>AccountId</c>
/// column (read from the EF model, so a new feature's table is never forgotten), dependents before what they depend
/// on; rows of tables without the column go with their parents through the database's cascades.
/// </summary>
public static class AccountDeletion
{
    /// <summary>Deletes; answers the stored files' keys to remove once the deletion committed.</summary>
    public static async Task<List<string?>> DeleteAsync(UniLinkDb db, int accountId, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var files = await StoredFiles.KeysOfAsync(db.Attachments.Where(a => a.AccountId == accountId), ct);
        var avatars = await db.Contacts.Where(c => c.AccountId == accountId && c.Thumbnail != "").Select(c => c.Thumbnail).ToListAsync(ct);
        await db.PlatformAppPermissibles.Where(p => p.PermissibleType == PermissibleTypes.Account && p.PermissibleId == accountId).ExecuteDeleteAsync(ct);
        await db.PlatformAppPermissibles.Where(p => p.PermissibleType == PermissibleTypes.AgentBot && db.AgentBots.Any(b => b.Id == p.PermissibleId && b.AccountId == accountId))
            .ExecuteDeleteAsync(ct);
        foreach (var (table, column) in Order(db.Model))
        {
            // Table and column names come from the EF model, never from input; the account id is a parameter.
            var sql = "DELETE FROM \"" + table + "\" WHERE \"" + column + "\" = {0}";
            await db.Database.ExecuteSqlRawAsync(sql, [accountId], ct);
        }
        // The lists' counts went down with each deleted conversation and contact (triggers): removed after them, not before.
        await db.ConversationCounts.Where(k => k.AccountId == accountId).ExecuteDeleteAsync(ct);
        await db.ContactCounts.Where(k => k.AccountId == accountId).ExecuteDeleteAsync(ct);
        await db.Accounts.Where(a => a.Id == accountId).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return [.. files, .. avatars.Select(StoredFiles.AvatarKey)];
    }

    /// <summary>The account tables (table, account column), each before the tables it refers to.</summary>
    private static List<(string Table, string Column)> Order(IModel model)
    {
        var owned = model.GetEntityTypes()
            .Where(t => t.ClrType != typeof(Accounts.Account) && t.ClrType != typeof(Conversations.ConversationCount) && t.ClrType != typeof(Contacts.ContactCount)
                && t.GetTableName() is not null && t.FindProperty("AccountId") is not null)
            .ToList();
        var ordered = new List<IEntityType>();
        var left = owned.ToHashSet();
        while (left.Count > 0)
        {
            // A table no other remaining table refers to can go now.
            var next = left.FirstOrDefault(t => !left.Any(other => other != t && other.GetForeignKeys().Any(fk => fk.PrincipalEntityType == t)))
                ?? throw new InvalidOperationException("The account tables refer to each other in a cycle");
            ordered.Add(next);
            left.Remove(next);
        }
        return ordered.Select(t => (t.GetTableName()!, t.FindProperty("AccountId")!.GetColumnName())).ToList();
    }
}
