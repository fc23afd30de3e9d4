using UniLink.Features.Webhooks;
using UniLink.Infrastructure.Http;

namespace UniLink.Features.AgentBots;

/// <summary>An agent bot's fields as a write gives them (the account API's and the Platform API's alike); null leaves a field as it is.</summary>
public sealed record AgentBotInput(string? Name, string? Description, string? OutgoingUrl, bool OutgoingUrlGiven, string? AvatarUrl)
{
    /// <summary>Reads the fields from a body already unwrapped from "agent_bot"; each problem goes to the body, naming its field.</summary>
    public static AgentBotInput From(RequestBody body, bool creating)
    {
        var name = body.String("name", 255, required: creating);
        var description = body.String("description", 2000);
        var outgoingUrl = body.String("outgoing_url", 2048);
        var avatarUrl = body.String("avatar_url", 2048);
        if (body.Has("name") && string.IsNullOrWhiteSpace(name) && body.Error is null) body.Problem("name", "can't be blank");
        if (outgoingUrl is { Length: > 0 } && !WebhooksEndpoints.IsHttpUrl(outgoingUrl)) body.Problem("outgoing_url", "is invalid: must be an http or https URL");
        if (avatarUrl is { Length: > 0 } && !WebhooksEndpoints.IsHttpUrl(avatarUrl)) body.Problem("avatar_url", "is invalid: must be an http or https URL");
        return new AgentBotInput(name, description, outgoingUrl, body.Has("outgoing_url"), avatarUrl);
    }
}
