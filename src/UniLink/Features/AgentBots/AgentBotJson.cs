using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace UniLink.Features.AgentBots;

/// <summary>
/// An agent bot as the reference's <c>_agent_bot.json.jbuilder</c> shows it. <c>secret</c> (what signs the events sent to
/// its <c>outgoing_url</c>) goes to administrators only; <c>access_token</c> (what the bot calls the API with) is stored
/// only as a hash, so it is in the answer that issues it (create, reset_access_token) and never again.
/// </summary>
public sealed record AgentBotJson(
    int Id,
    string Name,
    string Description,
    string Thumbnail,
    string? OutgoingUrl,
    string BotType,
    JsonObject BotConfig,
    int? AccountId,
    bool SystemBot,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret);

public static class AgentBotMapping
{
    public static AgentBotJson ToJson(this AgentBot b, bool administrator, string? issuedAccessToken = null) => new(
        b.Id, b.Name, b.Description, b.Thumbnail, b.OutgoingUrl, "webhook", [], b.AccountId, b.AccountId is null,
        issuedAccessToken, administrator && b.AccountId is not null ? b.Secret : null);
}
