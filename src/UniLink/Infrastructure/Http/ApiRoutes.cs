using UniLink.Features.Accounts;
using UniLink.Features.AgentBots;
using UniLink.Features.Agents;
using UniLink.Features.Attachments;
using UniLink.Features.Contacts;
using UniLink.Features.Conversations;
using UniLink.Features.CustomAttributes;
using UniLink.Features.DashboardApps;
using UniLink.Features.DashboardApps.Embedding;
using UniLink.Features.Inboxes;
using UniLink.Features.Labels;
using UniLink.Features.Messages;
using UniLink.Features.Profile;
using UniLink.Features.Public;
using UniLink.Features.SignIn;
using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Auth;

namespace UniLink.Infrastructure.Http;

/// <summary>Every HTTP API route, grouped as the reference groups them.</summary>
public static class ApiRoutes
{
    public static void MapUniLinkApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/api/v1").DisableAntiforgery();
        v1.MapProfile();

        var account = v1.MapGroup("/accounts/{account_id}").WithAccountScope();
        account.MapAccounts();
        account.MapAgents();
        account.MapInboxes();
        account.MapContacts();
        account.MapConversations();
        account.MapMessages();
        account.MapAttachments();
        account.MapLabels();
        account.MapCustomAttributeDefinitions();
        account.MapDashboardApps();
        account.MapWebhooks();
        account.MapAgentBots();
        account.MapInboxAgentBot();

        app.MapSignIn();
        app.MapFrameEmbeddingCheck();
        Features.DashboardApps.Signing.JwksEndpoint.MapContextSigningKeys(app);
        app.MapPublicApi();
        ContactAvatars.MapAvatars(app);
    }
}
