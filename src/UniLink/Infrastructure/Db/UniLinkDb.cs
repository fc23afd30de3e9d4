using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using UniLink.Features.CannedResponses;
using UniLink.Features.Contacts;
using UniLink.Features.CustomAttributes;
using UniLink.Features.DashboardApps;
using UniLink.Features.Labels;
using UniLink.Features.Messages;
using UniLink.Features.SignIn;
using UniLink.Features.Webhooks;
using UniLink.Features.Teams;

namespace UniLink.Infrastructure.Db;

/// <summary>
/// The one model. Each database engine has a subclass only so that it can keep its own migrations folder.
/// </summary>
public abstract class UniLinkDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountUser> AccountUsers => Set<AccountUser>();
    public DbSet<User> Users => Set<User>();
    public DbSet<AgentBot> AgentBots => Set<AgentBot>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<Inbox> Inboxes => Set<Inbox>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactInbox> ContactInboxes => Set<ContactInbox>();
    public DbSet<ContactCount> ContactCounts => Set<ContactCount>();
    public DbSet<ContactWeekCount> ContactWeekCounts => Set<ContactWeekCount>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ConversationLabel> ConversationLabels => Set<ConversationLabel>();
    public DbSet<ConversationCount> ConversationCounts => Set<ConversationCount>();
    public DbSet<ConversationWeekCount> ConversationWeekCounts => Set<ConversationWeekCount>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Features.Attachments.Attachment> Attachments => Set<Features.Attachments.Attachment>();
    public DbSet<Label> Labels => Set<Label>();
    public DbSet<CustomAttributeDefinition> CustomAttributeDefinitions => Set<CustomAttributeDefinition>();
    public DbSet<DashboardApp> DashboardApps => Set<DashboardApp>();
    public DbSet<Features.DashboardApps.Audit.AppAuditEntry> AppAuditLog => Set<Features.DashboardApps.Audit.AppAuditEntry>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<OutboxEvent> OutboxEvents => Set<OutboxEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<Features.DashboardApps.Signing.ContextSigningKey> ContextSigningKeys => Set<Features.DashboardApps.Signing.ContextSigningKey>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<InboxMember> InboxMembers => Set<InboxMember>();
    public DbSet<CannedResponse> CannedResponses => Set<CannedResponse>();
    public DbSet<ContactNote> ContactNotes => Set<ContactNote>();
    public DbSet<ContactLabel> ContactLabels => Set<ContactLabel>();
    public DbSet<Features.CustomFilters.CustomFilter> CustomFilters => Set<Features.CustomFilters.CustomFilter>();
    public DbSet<Features.Platform.PlatformApp> PlatformApps => Set<Features.Platform.PlatformApp>();
    public DbSet<Features.Platform.PlatformAppPermissible> PlatformAppPermissibles => Set<Features.Platform.PlatformAppPermissible>();
    public DbSet<Features.Platform.SignInLink> SignInLinks => Set<Features.Platform.SignInLink>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; SQLite hands DateTimes back without a Kind, so say so on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Account>(e =>
        {
            e.Property(a => a.Name).HasMaxLength(255);
            e.Property(a => a.Locale).HasMaxLength(16).HasDefaultValue("en");
            e.Property(a => a.Domain).HasMaxLength(100);
            e.Property(a => a.SupportEmail).HasMaxLength(100);
            e.Property(a => a.Status).HasMaxLength(16).HasDefaultValue(AccountStatuses.Active);
            e.Property(a => a.CustomAttributes).HasDefaultValue("{}");
            e.Property(a => a.Limits).HasDefaultValue("{}");
        });

        b.Entity<AccountUser>(e =>
        {
            e.HasIndex(m => new { m.AccountId, m.UserId }).IsUnique();
            e.Property(m => m.Role).HasMaxLength(32);
            e.HasOne(m => m.Account).WithMany(a => a.Members).HasForeignKey(m => m.AccountId);
            e.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId);
        });

        b.Entity<User>(e =>
        {
            // Stand-ins carry the e-mail their account typed, which is the invited user's.
            e.HasIndex(u => u.Email).IsUnique().HasFilter("\"StandsInForUserId\" IS NULL");
            e.HasIndex(u => u.AccessTokenHash).IsUnique();
            e.HasOne<User>().WithMany().HasForeignKey(u => u.StandsInForUserId).OnDelete(DeleteBehavior.Cascade);
            e.Property(u => u.Email).HasMaxLength(255);
            e.Property(u => u.Name).HasMaxLength(255);
            e.Property(u => u.AccessTokenHash).HasMaxLength(64);
            e.Ignore(u => u.AvailableName);
        });

        b.Entity<AgentBot>().HasIndex(x => x.AccessTokenHash).IsUnique();
        b.Entity<UserSession>(e =>
        {
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.UserId);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.Client).HasMaxLength(64);
            e.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Invitation>().HasIndex(x => x.TokenHash).IsUnique();

        b.Entity<Inbox>(e =>
        {
            e.HasIndex(i => i.InboxIdentifier).IsUnique();
            e.HasIndex(i => i.AccountId);
            e.Property(i => i.WidgetColor).HasMaxLength(32);
            e.Property(i => i.ReplyTime).HasMaxLength(32);
        });

        b.Entity<Contact>(e =>
        {
            e.HasIndex(c => new { c.AccountId, c.Email });
            e.HasIndex(c => new { c.AccountId, c.Identifier });
            // The contacts list's order: last active, or created for a contact never active. The database computes it
            // (no write can leave it behind) so that a page's ids come from this index alone; PostgreSQL never answers
            // from an expression index alone. SQLite computes it on read (an index on it stores it just the same).
            e.Property<DateTime>(Contact.ActivityAt).HasComputedColumnSql("COALESCE(\"LastActivityAt\", \"CreatedAt\")", stored: Database.IsNpgsql());
            e.HasIndex(nameof(Contact.AccountId), Contact.ActivityAt, nameof(Contact.Id)).IsDescending(false, true, true);
        });

        b.Entity<ContactInbox>(e =>
        {
            e.HasIndex(ci => new { ci.InboxId, ci.SourceId }).IsUnique();
            e.HasOne(ci => ci.Contact).WithMany(c => c.ContactInboxes).HasForeignKey(ci => ci.ContactId)
                .OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Conversation>(e =>
        {
            e.HasIndex(c => new { c.AccountId, c.DisplayId }).IsUnique();
            // The list's order (newest activity first, then id) for one status and for all, and for one status and
            // assignee (the unassigned and mine tabs: without it SQLite read a tab's every conversation and sorted them,
            // 4,196 for the big data set's unassigned tab, instead of the page's 25); the counts per assignee.
            // Full-text search and the contacts' order have indexes the model cannot say (the FullTextSearch migration).
            e.HasIndex(c => new { c.AccountId, c.Status, c.LastActivityAt, c.Id });
            e.HasIndex(c => new { c.AccountId, c.LastActivityAt, c.Id });
            e.HasIndex(c => new { c.AccountId, c.Status, c.AssigneeId, c.LastActivityAt, c.Id });
            e.HasIndex(c => new { c.AccountId, c.AssigneeId });
            e.HasIndex(c => c.Uuid).IsUnique();
            e.HasOne(c => c.Contact).WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(c => c.Assignee).WithMany().HasForeignKey(c => c.AssigneeId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne(c => c.ContactInbox).WithMany().HasForeignKey(c => c.ContactInboxId).OnDelete(DeleteBehavior.SetNull);
            e.HasMany(c => c.Labels).WithOne().HasForeignKey(l => l.ConversationId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(c => c.Messages).WithOne().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
            e.Property(c => c.Priority).HasMaxLength(16);
            e.HasOne(c => c.Team).WithMany().HasForeignKey(c => c.TeamId).OnDelete(DeleteBehavior.SetNull);
            e.HasIndex(c => new { c.AccountId, c.TeamId });
        });

        // Kept by triggers (migration ConversationCounts); no foreign keys: a deleted conversation's count goes down first.
        b.Entity<ConversationCount>().HasKey(k => new { k.AccountId, k.InboxId, k.Status, k.AssigneeId, k.TeamId });
        // Kept by triggers (migration ContactCounts), as ConversationCount.
        b.Entity<ContactCount>().HasKey(k => k.AccountId);
        b.Entity<ContactCount>().Property(k => k.AccountId).ValueGeneratedNever();
        // Kept by triggers (migration ConversationWeekCounts), as ConversationCount; keyed so that one status's weeks, or
        // every status's, are one range of the key.
        b.Entity<ConversationWeekCount>().HasKey(k => new { k.AccountId, k.Status, k.Week, k.InboxId, k.AssigneeId, k.TeamId });
        b.Entity<ContactWeekCount>().HasKey(k => new { k.AccountId, k.Week });

        b.Entity<ConversationLabel>(e =>
        {
            e.HasKey(l => new { l.ConversationId, l.Title });
            e.HasIndex(l => l.Title);
        });

        b.Entity<Message>(e =>
        {
            e.HasIndex(m => new { m.ConversationId, m.Id });
            // A conversation's unread count (incoming messages after the agent last looked) is a range in this index.
            e.HasIndex(m => new { m.ConversationId, m.MessageType, m.CreatedAt });
            e.HasIndex(m => m.AccountId);
        });

        b.Entity<Features.Attachments.Attachment>(e =>
        {
            e.HasIndex(a => a.MessageId);
            e.HasIndex(a => a.AccountId);
            e.HasOne(a => a.Message).WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
            e.Property(a => a.FileName).HasMaxLength(255);
            e.Property(a => a.Extension).HasMaxLength(16);
            e.Property(a => a.ContentType).HasMaxLength(100);
            e.Property(a => a.StorageKey).HasMaxLength(64);
            e.Property(a => a.ThumbKey).HasMaxLength(64);
        });

        b.Entity<Label>().HasIndex(l => new { l.AccountId, l.Title }).IsUnique();
        b.Entity<CustomAttributeDefinition>()
            .HasIndex(d => new { d.AccountId, d.AttributeKey, d.AttributeModel }).IsUnique();
        b.Entity<DashboardApp>(e =>
        {
            e.HasIndex(a => a.AccountId);
            e.Property(a => a.VisibleTo).HasMaxLength(32);
            e.Property(a => a.Placement).HasMaxLength(32);
            e.Property(a => a.InboxIds).HasMaxLength(2048);
            e.Property(a => a.AudienceTeamIds).HasMaxLength(2048);
            e.Property(a => a.AudienceUserIds).HasMaxLength(2048);
            e.Property(a => a.ManifestUrl).HasMaxLength(2048);
            e.Property(a => a.RequestDomains).HasMaxLength(8192);
            e.Property(a => a.EventEndpoint).HasMaxLength(2048);
            e.Property(a => a.EventTypes).HasMaxLength(1024);
        });

        b.Entity<Features.DashboardApps.Audit.AppAuditEntry>(e =>
        {
            e.ToTable("AppAuditLog");
            e.HasIndex(a => new { a.AccountId, a.CreatedAt });
            e.HasIndex(a => new { a.AccountId, a.AppId });
            e.HasIndex(a => a.CreatedAt);
            e.HasIndex(a => a.SampleKey).IsUnique();
            e.Property(a => a.AppTitle).HasMaxLength(255);
            e.Property(a => a.Event).HasMaxLength(64);
            e.Property(a => a.UserName).HasMaxLength(255);
            e.Property(a => a.SampleKey).HasMaxLength(128);
        });

        b.Entity<Webhook>(e =>
        {
            e.HasIndex(w => new { w.AccountId, w.Url }).IsUnique();
            e.Property(w => w.Url).HasMaxLength(2048);
            e.Property(w => w.Name).HasMaxLength(255);
            e.Property(w => w.Subscriptions).HasMaxLength(1024);
            e.Property(w => w.Secret).HasMaxLength(64);
        });
        b.Entity<OutboxEvent>(e =>
        {
            e.HasIndex(x => x.DispatchedAt);
            e.Property(x => x.Event).HasMaxLength(64);
            // A message or contact deleted before the worker got to its event: the event is dropped then.
            e.HasOne(x => x.Message).WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<WebhookDelivery>(e =>
        {
            e.HasIndex(d => new { d.State, d.NextAttemptAt });
            e.HasIndex(d => new { d.TargetKind, d.TargetId, d.OrderKey, d.State, d.EventId });
            e.HasIndex(d => new { d.TargetKind, d.TargetId, d.Id });
            e.HasIndex(d => d.CreatedAt);
            // An event (and its payload) is removed only once none of its deliveries is left.
            e.HasIndex(d => d.EventId);
            e.Property(d => d.Event).HasMaxLength(64);
            e.Property(d => d.TargetKind).HasMaxLength(16);
            e.Property(d => d.OrderKey).HasMaxLength(64);
            e.Property(d => d.DeliveryKey).HasMaxLength(64);
            e.Property(d => d.State).HasMaxLength(16);
            e.Property(d => d.LeaseOwner).HasMaxLength(64);
            e.Property(d => d.LastError).HasMaxLength(1024);
            e.HasMany(d => d.AttemptLog).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<WebhookAttempt>(e =>
        {
            e.Property(a => a.Response).HasMaxLength(1024);
            e.Property(a => a.Error).HasMaxLength(1024);
        });
        b.Entity<Features.DashboardApps.Signing.ContextSigningKey>(e =>
        {
            e.HasIndex(k => k.Kid).IsUnique();
            // Two nodes making the next key at once: one insert wins, the other reads it.
            e.HasIndex(k => k.ActivatesAt).IsUnique();
            e.Property(k => k.Kid).HasMaxLength(64);
        });
        b.Entity<Team>(e =>
        {
            e.HasIndex(t => new { t.AccountId, t.Name }).IsUnique();
            e.Property(t => t.Name).HasMaxLength(255);
            e.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<TeamMember>(e =>
        {
            e.HasIndex(m => new { m.TeamId, m.UserId }).IsUnique();
            e.HasIndex(m => m.UserId);
            e.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<InboxMember>(e =>
        {
            e.HasIndex(m => new { m.InboxId, m.UserId }).IsUnique();
            e.HasIndex(m => m.UserId);
            e.HasOne<Inbox>().WithMany().HasForeignKey(m => m.InboxId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ContactNote>(e =>
        {
            e.HasIndex(n => new { n.ContactId, n.Id });
            e.HasOne<Contact>().WithMany().HasForeignKey(n => n.ContactId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(n => n.User).WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<ContactLabel>(e =>
        {
            e.HasKey(l => new { l.ContactId, l.Title });
            e.HasIndex(l => l.Title);
            e.HasOne<Contact>().WithMany().HasForeignKey(l => l.ContactId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Features.CustomFilters.CustomFilter>(e =>
        {
            e.HasIndex(f => new { f.AccountId, f.UserId, f.FilterType });
            e.Property(f => f.Name).HasMaxLength(255);
            e.Property(f => f.FilterType).HasMaxLength(16);
            e.HasOne<Account>().WithMany().HasForeignKey(f => f.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Features.Platform.PlatformApp>(e =>
        {
            e.Property(a => a.Name).HasMaxLength(255);
            e.HasIndex(a => a.Name).IsUnique();
            e.HasIndex(a => a.AccessTokenHash).IsUnique();
        });
        b.Entity<Features.Platform.PlatformAppPermissible>(e =>
        {
            e.Property(p => p.PermissibleType).HasMaxLength(32);
            e.HasIndex(p => new { p.PlatformAppId, p.PermissibleType, p.PermissibleId }).IsUnique();
            e.HasIndex(p => new { p.PermissibleType, p.PermissibleId });
            e.HasOne<Features.Platform.PlatformApp>().WithMany().HasForeignKey(p => p.PlatformAppId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Features.Platform.SignInLink>(e =>
        {
            e.HasIndex(l => l.TokenHash).IsUnique();
            e.HasOne<User>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<CannedResponse>(e =>
        {
            e.HasIndex(r => new { r.AccountId, r.ShortCode }).IsUnique();
            e.Property(r => r.ShortCode).HasMaxLength(255);
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqliteUniLinkDb(DbContextOptions<SqliteUniLinkDb> options) : UniLinkDb(options);

public sealed class PostgresUniLinkDb(DbContextOptions<PostgresUniLinkDb> options) : UniLinkDb(options)
{
    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        Features.Search.FullTextSearch.MapPostgresFunctions(b);
    }
}
