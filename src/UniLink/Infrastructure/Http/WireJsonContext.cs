using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using UniLink.Features.Contacts;
using UniLink.Features.Messages;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// Serialisation code generated at build time for the hottest answers (the conversation list), with
/// <see cref="WireJson.Options"/>' naming and number rules. Its options leave the encoder unset (a set encoder turns the
/// generated writer off); <see cref="WireJsonResult{T}"/> gives the writer <see cref="WireJson.Options"/>' encoder
/// instead, so the bytes are those <see cref="WireJson.Options"/> writes.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ConversationListJson))]
[JsonSerializable(typeof(ConversationListDataJson))]
// The runtime types of MessageJson.Sender (declared object) and of ConversationJson.ClientFlags' values.
[JsonSerializable(typeof(ContactSenderJson))]
[JsonSerializable(typeof(AgentSenderJson))]
[JsonSerializable(typeof(BotSenderJson))]
[JsonSerializable(typeof(bool))]
public sealed partial class WireJsonContext : JsonSerializerContext;

/// <summary>A 200 answer written by <see cref="WireJsonContext"/>'s generated code, with the wire's encoder.</summary>
public sealed class WireJsonResult<T>(T value, JsonTypeInfo<T> type) : IResult
{
    private static readonly JsonWriterOptions Writer = new() { Encoder = WireJson.Options.Encoder, SkipValidation = true };

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = http.Response.BodyWriter;
        using (var writer = new Utf8JsonWriter((IBufferWriter<byte>)body, Writer)) JsonSerializer.Serialize(writer, value, type);
        await body.FlushAsync(http.RequestAborted);
    }

    /// <summary>The value's bytes as <see cref="ExecuteAsync"/> writes them.</summary>
    public static byte[] Bytes(T value, JsonTypeInfo<T> type)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Writer)) JsonSerializer.Serialize(writer, value, type);
        return buffer.WrittenSpan.ToArray();
    }
}
