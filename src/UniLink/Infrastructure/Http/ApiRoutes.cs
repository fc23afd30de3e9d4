using UniLink.Features.AgentBots;
using UniLink.Features.CannedResponses;
using UniLink.Features.Attachments;
using UniLink.Features.Contacts;
using UniLink.Features.CustomAttributes;
using UniLink.Features.DashboardApps;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.Labels;
using UniLink.Features.Messages;
using UniLink.Features.Profile;
using UniLink.Features.Public;
using UniLink.Features.SignIn;
using UniLink.Features.Webhooks;
using UniLink.Features.Teams;

namespace UniLink.Infrastructure.Http;

/// <summary>Every HTTP API route, grouped as the reference groups them.</summary>
public static class ApiRoutes
{
    public static readonly string[] ApiPrefixes = ["/api", "/public/api", "/platform/api", "/auth"];

    public static void MapUniLinkApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/api/v1").DisableAntiforgery();
        v1.MapProfile();
        Features.Widget.WidgetEndpoints.MapWidgetApi(v1);

        var account = v1.MapGroup("/accounts/{account_id}").WithAccountScope();
        account.MapAccounts();
        account.MapAgents();
        account.MapInboxes();
        account.MapInboxMembers();
        account.MapContacts();
        account.MapContactNotes();
        account.MapConversations();
        account.MapMessages();
        account.MapAttachments();
        account.MapLabels();
        account.MapCustomAttributeDefinitions();
        account.MapDashboardApps();
        Features.DashboardApps.Audit.AuditLogsEndpoints.MapAuditLogs(account);
        account.MapWebhooks();
        account.MapAgentBots();
        account.MapInboxAgentBot();
        account.MapTeams();
        account.MapCannedResponses();
        Features.Search.SearchEndpoints.MapSearch(account);
        Features.CustomFilters.CustomFiltersEndpoints.MapCustomFilters(account);

        app.MapSignIn();
        app.MapFrameEmbeddingCheck();
        Features.DashboardApps.Signing.JwksEndpoint.MapContextSigningKeys(app);
        app.MapPublicApi();
        Features.Platform.PlatformEndpoints.MapPlatformApi(app);
        Features.Platform.PlatformEndpoints.MapSignInLinks(app);
        Features.Widget.WidgetPage.MapWidgetPage(app);
        ContactAvatars.MapAvatars(app);

        // A path under an API prefix that no endpoint serves is a JSON 404, whoever asks, as the reference answers: never
        // the dashboard's sign-in page, which a client would take for success. Fallbacks rank after every real route.
        foreach (var prefix in ApiPrefixes)
            app.MapFallback(prefix + "/{**path}", () => ApiErrors.NotFound()).AllowAnonymous().ExcludeFromDescription();
    }
}
