using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace UniLink.Tests.Production;

/// <summary>
/// Random and malformed request bodies from one seeded <see cref="Random"/>, so a failing run replays with its seed.
/// Most start from a valid body and break one thing, so they get past the first check and reach deeper ones.
/// </summary>
public sealed class FuzzBodies(Random rng)
{
    private static readonly string[] Keys =
    [
        "title", "content", "name", "email", "phone_number", "identifier", "blocked", "additional_attributes", "custom_attributes",
        "inbox_id", "contact_id", "status", "snoozed_until", "priority", "assignee_id", "labels", "message_type", "private",
        "content_type", "content_attributes", "source_id", "echo_id", "message", "attribute_display_name", "attribute_key",
        "attribute_display_type", "attribute_model", "attribute_values", "attribute_description", "regex_pattern", "regex_cue",
        "default_value", "description", "color", "show_on_sidebar", "channel", "type", "website_url", "webhook_url",
        "greeting_enabled", "greeting_message", "enable_auto_assignment", "permissions", "role", "password",
        "password_confirmation", "current_password", "availability", "availability_status", "auto_offline", "display_name",
        "message_signature", "ui_settings", "url", "dashboard_app", "label", "agent", "profile", "user", "account",
        "custom_attribute_definition", "id", "account_id", "extra_frame_origins", "webhook", "subscriptions", "outgoing_url", "agent_bot",
        "context_scopes", "team_id", "team", "user_ids", "allow_auto_assign", "short_code", "canned_response", "typing_status", "submitted_values", "external_error", "conversation", "note", "payload", "attribute_key", "filter_operator", "values", "query_operator",
        "manifest", "manifest_url", "custom_filter", "filter_type", "query", "consent", "settings", "manifest_version", "frames", "request_domains",
        "base_contact_id", "mergee_contact_id", "user_id", "hmac_verified", "locale", "domain", "support_email", "limits", "company_size",
        "event_endpoint", "events",
    ];

    private static readonly string[] Words =
    [
        "open", "resolved", "snoozed", "pending", "none", "urgent", "frame", "https://crm.example.com/x", "HTTPS://X", "javascript:alert(1)",
        "administrator", "agent", "text", "list", "conversation_attribute", "contact_attribute", "#1f93ff", "incoming", "outgoing", "template", "message_created", "message.created", "http://127.0.0.1:9/x",
        "a@b.c", "not an email", "+15551234567", "0", "-1", "2147483648", "true", "null", "[]", "{}", "(", "[a-", "%", "\\", "'; DROP TABLE x;--",
        "\u0000", "\ud83d\ude00", "\u202e", "Ωmega", "", " ", "9999999999999999999999", "1e309", "NaN",
    ];

    public sealed record Body(HttpContent? Content, string Description);

    public Body Next(JsonObject? valid)
    {
        var kind = rng.Next(100);
        return kind switch
        {
            < 40 => JsonBody(Mutate(valid?.DeepClone().AsObject() ?? [])),
            < 50 => JsonBody(RandomValue(0)),
            < 58 => Truncated(valid),
            < 63 => HugeString(valid),
            < 68 => DeepNesting(),
            < 76 => WrongContentType(valid),
            < 86 => Form(),
            < 89 => Multipart(),
            < 95 => Raw(Pick(["", " ", "null", "true", "42", "\"text\"", "[]", "{}", "{\"a\":1,}", "{'a':1}", "{\"a\":1}{\"b\":2}", "\u00ef\u00bb\u00bf{}", "{\"a\":\"\\ud800\"}"]), "application/json"),
            _ => InvalidUtf8(),
        };
    }

    /// <summary>Now and then one id of the path replaced by something that is not an id.</summary>
    public string MutatePath(string path, string pattern)
    {
        if (rng.Next(10) != 0) return path;
        var segments = path.Split('/');
        var placeholders = pattern.Split('/').Select((s, i) => (s, i)).Where(p => p.s.StartsWith('{') && p.i < segments.Length).Select(p => p.i).ToList();
        if (placeholders.Count == 0) return path;
        var at = Pick(placeholders);
        segments[at] = Pick(new[] { "%00", "0", "-1", "99999999999999999999", "abc", "%2e%2e", new string('9', 300), "%E2%80%AE", "1.5", "%20", "%C3%28" });
        // A last segment ".." is resolved away by the client: DELETE …/contacts/1/notes/.. would delete contact 1 itself,
        // the world's own contact, and every later row aimed at its conversation would fail for that reason alone.
        if (at == segments.Length - 1 && segments[at] == "%2e%2e") segments[at] = "abc";
        return string.Join('/', segments);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private JsonObject Mutate(JsonObject body)
    {
        var mutations = 1 + rng.Next(3);
        for (var i = 0; i < mutations; i++)
        {
            var keys = body.Select(p => p.Key).ToList();
            switch (rng.Next(6))
            {
                case 0 when keys.Count > 0: body.Remove(Pick(keys)); break;
                case 1 when keys.Count > 0: body[Pick(keys)] = RandomValue(1); break;
                case 2: body[Pick(Keys)] = RandomValue(1); break;
                case 3: body[RandomString(12)] = RandomValue(1); break;
                case 4: body = new JsonObject { [Pick(Keys)] = body }; break;
                default: body[Pick(Keys)] = Pick(Words); break;
            }
        }
        return body;
    }

    private JsonNode? RandomValue(int depth)
    {
        var choice = rng.Next(depth > 5 ? 7 : 10);
        return choice switch
        {
            0 => null,
            1 => rng.Next(2) == 0,
            2 => rng.Next(int.MinValue, int.MaxValue),
            3 => Pick(new JsonNode[] { JsonNode.Parse("1e308")!, JsonNode.Parse("-0")!, JsonNode.Parse("123456789012345678901234567890")!, JsonNode.Parse("0.5")!, JsonNode.Parse("9223372036854775808")! }),
            4 => Pick(Words),
            5 or 6 => RandomString(rng.Next(3) == 0 ? 300 : 20),
            7 => new JsonArray(Enumerable.Range(0, rng.Next(5)).Select(_ => RandomValue(depth + 1)).ToArray()),
            _ => RandomObject(depth + 1),
        };
    }

    private JsonObject RandomObject(int depth)
    {
        var o = new JsonObject();
        for (var i = rng.Next(5); i > 0; i--) o[rng.Next(2) == 0 ? Pick(Keys) : RandomString(8)] = RandomValue(depth);
        return o;
    }

    private string RandomString(int maxLength)
    {
        const string pool = "abcXYZ019 _-./:@#%&?=+[]{}\"'\\<>\t\n\r\u0001\u00e9\u4e2d\u202e";
        var length = rng.Next(maxLength + 1);
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++) sb.Append(pool[rng.Next(pool.Length)]);
        return sb.ToString();
    }

    private static Body JsonBody(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return new Body(new StringContent(text, Encoding.UTF8, "application/json"), Describe("json", text));
    }

    private static Body Raw(string text, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new Body(content, Describe($"raw {contentType ?? "(no content type)"}", text));
    }

    private Body Truncated(JsonObject? valid)
    {
        var text = Mutate(valid?.DeepClone().AsObject() ?? []).ToJsonString();
        return Raw(text[..rng.Next(Math.Max(1, text.Length))], "application/json");
    }

    private Body HugeString(JsonObject? valid)
    {
        var body = valid?.DeepClone().AsObject() ?? [];
        var length = Pick(new[] { 256, 1_001, 70_000, 160_000, 1_100_000 });
        body[body.Count > 0 && rng.Next(2) == 0 ? Pick(body.Select(p => p.Key).ToList()) : Pick(Keys)] = new string('x', length);
        var text = body.ToJsonString();
        return new Body(new StringContent(text, Encoding.UTF8, "application/json"), $"json with a string of {length} characters: {Describe("", text[..Math.Min(200, text.Length)])}");
    }

    private Body DeepNesting()
    {
        var depth = Pick(new[] { 65, 200, 5_000 });
        var text = rng.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"content\":", depth)) + "1" + new string('}', depth);
        if (rng.Next(2) == 0) text = "{\"title\":" + text + "}";
        return Raw(text, "application/json");
    }

    private Body WrongContentType(JsonObject? valid)
    {
        var text = rng.Next(3) == 0 ? "<dashboard_app><title>x</title></dashboard_app>" : (valid ?? []).ToJsonString();
        return Raw(text, Pick(new string?[] { "text/plain", "application/xml", null, "application/octet-stream", "application/json; charset=latin1", "image/png", "application/x-www-form-urlencoded" }));
    }

    private Body Form()
    {
        var pairs = new List<string>();
        for (var i = rng.Next(6); i >= 0; i--)
        {
            var key = Pick(Keys);
            var shape = rng.Next(6);
            key = shape switch
            {
                0 => $"{Pick(Keys)}[{key}]",
                1 => $"{Pick(Keys)}[{key}][][type]",
                2 => $"{key}[]",
                3 => Pick(new[] { "[", "]", "a[", "a]b", "[]", "a[][", "a[b][c][d][e][f][g]" }),
                _ => key,
            };
            var value = rng.Next(4) == 0 ? Pick(new[] { "%", "%zz", "%ff", "%00", "&&", "=" }) : Uri.EscapeDataString(Pick(Words));
            pairs.Add(rng.Next(8) == 0 ? key : $"{Uri.EscapeDataString(key)}={value}");
        }
        return Raw(string.Join('&', pairs), "application/x-www-form-urlencoded");
    }

    private Body Multipart()
    {
        if (rng.Next(2) == 0) return Raw("--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nbroken", "multipart/form-data; boundary=x");
        var content = new MultipartFormDataContent { { new StringContent(Pick(Words)), Pick(Keys) } };
        if (rng.Next(2) == 0) return new Body(content, "multipart form");
        // Files, as message clients send them: any bytes under any declared type and name.
        var files = 1 + rng.Next(3);
        for (var i = 0; i < files; i++)
        {
            var bytes = new byte[rng.Next(3) == 0 ? 0 : rng.Next(1, 5000)];
            rng.NextBytes(bytes);
            var file = new ByteArrayContent(bytes);
            if (MediaTypeHeaderValue.TryParse(Pick(["image/png", "image/jpeg", "image/gif", "text/html", "image/svg+xml", "audio/mpeg", "video/mp4",
                    "application/pdf", "x", "image/", "a/b/c"]), out var type)) file.Headers.ContentType = type;
            content.Add(file, Pick(["attachments[]", "attachments", "attachments[0]", "file"]), Pick(["a.png", "../../etc/passwd", "x.html", "Ωmega.pdf", "..", "\u202eexe.txt", "noext", "a\\b.txt", new string('n', 300) + ".txt"]));
        }
        return new Body(content, $"multipart form with {files} files");
    }

    private Body InvalidUtf8()
    {
        var content = new ByteArrayContent([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return new Body(content, "json with invalid UTF-8");
    }

    private static string Describe(string kind, string text) =>
        $"{kind} {(text.Length > 200 ? text[..200] + $"… ({text.Length} characters)" : text)}";
}
