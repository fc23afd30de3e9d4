using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using UniLink.AppSdk.Payload;

namespace UniLink.AppSdk;

/// <summary>
/// The <c>data</c> of the <c>appContext</c> message UniLink (or Chatwoot) posts to a dashboard app, typed. Parse the
/// raw <c>event.data</c> string with <see cref="Parse"/> (for instance after your page forwarded it to your server).
/// </summary>
/// <param name="Conversation">The open conversation with its loaded messages.</param>
/// <param name="Contact">The conversation's contact; null when the host sent <c>{}</c> (no contact).</param>
/// <param name="CurrentAgent">The signed-in agent.</param>
/// <param name="CustomAttributes">The account's custom attribute definitions (null from hosts that do not send them).</param>
/// <param name="Theme"><c>light</c> or <c>dark</c>, as the dashboard is shown (null from hosts that do not send it).</param>
/// <param name="Account">UniLink only, for the placements contact_panel, page and background: the account.</param>
/// <param name="Placement">UniLink only: <c>contact_panel</c>, <c>page</c> or <c>background</c> for those placements, else null.</param>
/// <param name="Token">UniLink only: the signed context (a JWT). Verify it with <see cref="VerifyContextToken"/> before trusting anything here.</param>
public sealed record DashboardAppContext(
    Conversation Conversation,
    [property: JsonConverter(typeof(EmptyObjectAsNull<Contact>))] Contact? Contact,
    [property: JsonPropertyName("currentAgent")] CurrentAgent CurrentAgent,
    [property: JsonPropertyName("customAttributes")] IReadOnlyList<CustomAttributeDefinition>? CustomAttributes = null,
    string? Theme = null,
    string? Token = null,
    AppAccount? Account = null,
    string? Placement = null)
{
    /// <summary>The JSON settings of the payload: snake_case keys, strict about required fields and nulls.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>
    /// Parses the string the host posts (<c>{"event":"appContext","data":{…}}</c>). Throws <see cref="FormatException"/>
    /// saying what is wrong when it is not an appContext message of the expected shape.
    /// </summary>
    public static DashboardAppContext Parse(string eventData) =>
        TryParse(eventData, out var context, out var error) ? context : throw new FormatException(error);

    /// <summary>Like <see cref="Parse"/>, without exceptions: false with <paramref name="error"/> saying what is wrong.</summary>
    public static bool TryParse(string? eventData, [NotNullWhen(true)] out DashboardAppContext? context, [NotNullWhen(false)] out string? error)
    {
        context = null;
        if (string.IsNullOrWhiteSpace(eventData))
        {
            error = "The message is empty; expected {\"event\":\"appContext\",\"data\":{…}}";
            return false;
        }
        try
        {
            using var doc = JsonDocument.Parse(eventData);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"The message is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object";
                return false;
            }
            if (!root.TryGetProperty("event", out var name) || name.ValueKind != JsonValueKind.String || name.GetString() != "appContext")
            {
                error = "The message is not an appContext (its \"event\" is not \"appContext\")";
                return false;
            }
            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                error = "The appContext has no \"data\" object";
                return false;
            }
            context = data.Deserialize<DashboardAppContext>(JsonOptions);
            if (context is null)
            {
                error = "The appContext has no \"data\" object";
                return false;
            }
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = e.Path is { Length: > 0 } path && !e.Message.Contains(path, StringComparison.Ordinal)
                ? $"{e.Message} (at {path})"
                : e.Message;
            context = null;
            return false;
        }
    }

    /// <summary>
    /// Verifies <see cref="Token"/> for the app with <paramref name="appId"/> and <paramref name="secret"/>; returns the
    /// claims, or null with <paramref name="error"/> saying why not (no token, forged, expired, for another app).
    /// </summary>
    public ContextTokenClaims? VerifyContextToken(string secret, int appId, out string? error) =>
        ContextToken.VerifyContextToken(Token, secret, appId, out error);
}

/// <summary>Reads <c>{}</c> (the reference's "no contact") as null.</summary>
internal sealed class EmptyObjectAsNull<T> : JsonConverter<T?> where T : class
{
    public override bool HandleNull => true;

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        using var element = JsonDocument.ParseValue(ref reader);
        return element.RootElement.ValueKind == JsonValueKind.Object && !element.RootElement.EnumerateObject().Any()
            ? null
            : element.RootElement.Deserialize<T>(options);
    }

    public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else JsonSerializer.Serialize(writer, value, options);
    }
}
