using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.Webhooks;

namespace UniLink.Infrastructure;

/// <summary>Each feature's services, registered in one place.</summary>
public static class FeatureServices
{
    public static IServiceCollection AddUniLinkFeatures(this IServiceCollection services)
    {
        services.AddScoped<Features.Conversations.ConversationService>();
        services.AddScoped<Features.Conversations.ConversationReader>();
        services.AddScoped<Features.Messages.MessageService>();
        Features.Attachments.AttachmentServices.AddAttachments(services);
        services.AddScoped<Features.Contacts.ContactService>();
        services.AddScoped<Features.DashboardApps.DashboardAppService>();
        services.AddSingleton<Features.DashboardApps.Platform.AppSecrets>();
        services.AddScoped<Features.DashboardApps.Platform.AppActions>();
        services.AddScoped<Features.DashboardApps.Platform.AppHooks>();
        services.AddScoped<Features.DashboardApps.Manifests.AppInstaller>();
        services.AddScoped<Features.DashboardApps.Manifests.AppRequests>();
        services.AddSingleton<Features.DashboardApps.Manifests.AppRequestLimiter>();
        services.AddSingleton<Features.DashboardApps.Audit.ContextReceipts>();
        services.AddSingleton<Features.DashboardApps.Audit.AppAuditRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.DashboardApps.Audit.AppAuditRetention>());
        services.AddSingleton<Features.DashboardApps.Embedding.AppContextBuilder>();
        services.AddTransient<Features.Conversations.OpenConversation>();
        services.AddTransient<Features.DashboardApps.Embedding.ConversationApps>();
        services.AddScoped<Features.DashboardApps.Placements.AppPlaceContexts>();
        services.AddScoped<Features.DashboardApps.Placements.BackgroundAppSession>();
        services.AddSingleton<Features.DashboardApps.Signing.ContextSigningKeys>();
        services.AddScoped<Features.DashboardApps.Events.AppServerEvents>();
        services.AddSingleton<Features.DashboardApps.Events.AppEventSigning>();
        services.AddFrameEmbeddingCheck();
        services.AddScoped<Features.Agents.TeamService>();
        services.AddScoped<Features.Teams.TeamsService>();
        services.AddScoped<Features.Inboxes.InboxMembersService>();
        services.AddScoped<Features.Inboxes.InboxService>();
        services.AddScoped<Features.Inboxes.InboxAccess>();
        services.AddScoped<Features.Search.SearchService>();
        services.AddScoped<Features.Platform.PlatformService>();
        services.AddScoped<Features.CannedResponses.CannedResponseService>();
        services.AddScoped<Features.CustomFilters.CustomFilterService>();
        services.AddScoped<Features.Contacts.ContactNoteService>();
        services.AddScoped<Features.Labels.LabelService>();
        services.AddScoped<Features.CustomAttributes.CustomAttributeDefinitionService>();
        services.AddScoped<Features.Agents.InvitationService>();
        services.AddScoped<Features.Profile.ProfileService>();
        services.AddSingleton<Features.SignIn.SessionService>();
        services.AddSingleton<Features.SignIn.SignInThrottle>();
        services.AddScoped<Features.Accounts.AccountService>();
        services.AddScoped<Features.Accounts.AccountChoices>();
        services.AddScoped<Components.ThemeState>();
        services.AddSingleton<Features.Conversations.ConversationListFeed>();
        services.AddSingleton<Features.Conversations.SeenMarks>();
        services.AddWebhooks();
        Features.Widget.WidgetRateLimits.AddWidget(services);
        return services;
    }
}
