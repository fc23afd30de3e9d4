using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// A request body read leniently, as the reference reads params: JSON (malformed is a 400 naming the problem),
/// or form encoding with Rails-style keys (<c>a[b][]=x</c>). Typed getters collect every problem for one 422.
/// </summary>
public sealed class RequestBody
{
    public const int MaxBytes = 1 << 20;
    /// <summary>PostgreSQL cannot store U+0000 in text, so no engine takes it.</summary>
    public const string NulProblem = "must not contain the character U+0000";
    private readonly List<(string Attribute, string Message, bool WrongType)> _problems;
    private bool _strictTypes;

    public JsonObject Json { get; }
    public bool IsEmpty { get; }

    private RequestBody(JsonObject json, bool isEmpty, List<(string Attribute, string Message, bool WrongType)>? problems = null)
    {
        Json = json;
        IsEmpty = isEmpty;
        _problems = problems ?? [];
    }

    /// <summary>The body, or the 400 that says why it cannot be read.</summary>
    public static async Task<(RequestBody? Body, IResult? Error)> ReadAsync(HttpRequest request)
    {
        // The bytes go into a pooled buffer the size of the body (a 2 MiB char array per request, as before, was a large-object
        // allocation on every write and kept the background GC busy); a JSON body is parsed from them without a string.
        // The limit is still 1 MiB of characters: a character is one to three bytes, so up to three times that is read.
        var (buffer, length) = await ReadBytesAsync(request, 3 * MaxBytes + 3);
        try
        {
            var bytes = buffer.AsSpan(0, length);
            if (length > 3 * MaxBytes) return (null, ApiErrors.BadRequest("The request body is larger than 1 MiB"));
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
            var utf8 = System.Text.Unicode.Utf8.IsValid(bytes) && !bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) && !bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]);
            if (!utf8 || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            {
                // Not UTF-8 (or a form): decoded as a StreamReader would, invalid bytes replaced, and read as text.
                using var reader = new StreamReader(new MemoryStream(buffer, 0, length, writable: false));
                return FromText(request, await reader.ReadToEndAsync());
            }
            if (length > MaxBytes && Encoding.UTF8.GetCharCount(bytes) > MaxBytes) return (null, ApiErrors.BadRequest("The request body is larger than 1 MiB"));
            if (request.HasFormContentType) return (null, ApiErrors.BadRequest("Multipart bodies are not accepted here; send JSON or URL-encoded form data"));
            if (IsBlank(bytes)) return (new RequestBody([], true), null);
            try
            {
                return JsonNode.Parse(bytes) is JsonObject o
                    ? (new RequestBody(o, o.Count == 0), null)
                    : (null, ApiErrors.BadRequest("The request body must be a JSON object"));
            }
            catch (JsonException e)
            {
                // Blank in Unicode's sense (no JSON at all) is an empty body, as a string read would have found.
                if (string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(bytes))) return (new RequestBody([], true), null);
                return (null, ApiErrors.BadRequest($"Malformed JSON: {e.Message}"));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (RequestBody? Body, IResult? Error) FromText(HttpRequest request, string text)
    {
        if (text.Length > MaxBytes) return (null, ApiErrors.BadRequest("The request body is larger than 1 MiB"));
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = FormToJson.Convert(text);
            return (new RequestBody(form, form.Count == 0), null);
        }
        if (request.HasFormContentType) return (null, ApiErrors.BadRequest("Multipart bodies are not accepted here; send JSON or URL-encoded form data"));
        if (string.IsNullOrWhiteSpace(text)) return (new RequestBody([], true), null);
        try
        {
            return JsonNode.Parse(text) is JsonObject o
                ? (new RequestBody(o, o.Count == 0), null)
                : (null, ApiErrors.BadRequest("The request body must be a JSON object"));
        }
        catch (JsonException e)
        {
            return (null, ApiErrors.BadRequest($"Malformed JSON: {e.Message}"));
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }

    /// <summary>Up to <paramref name="cap"/> + 1 bytes of the body in a pooled buffer (returned by the caller); more is not read.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBytesAsync(HttpRequest request, int cap)
    {
        var size = (int)Math.Clamp(request.ContentLength ?? 4096, 16, cap) + 1;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > cap) break;
                    var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, cap + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var n = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, cap + 1) - length), request.HttpContext.RequestAborted);
                if (n == 0) break;
                length += n;
                if (length > cap) break;
            }
            return (buffer, length);
        }
        catch
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public static RequestBody FromObject(JsonObject json) => new(json, json.Count == 0);

    /// <summary>The object under <paramref name="key"/> (null when absent or not an object), whose problems are this body's: one 422 names them all.</summary>
    public RequestBody? Nested(string key) => Json[key] is JsonObject inner ? new RequestBody(inner, inner.Count == 0, _problems) : null;

    /// <summary>Reads from <c>{"wrapper": {…}}</c> when present, else from the body itself (the reference accepts both).</summary>
    public RequestBody Unwrap(string wrapper) =>
        Json[wrapper] is JsonObject inner ? new RequestBody(inner, inner.Count == 0) : this;

    public bool Has(string key) => Json.ContainsKey(key);

    public string? String(string key, int maxLength = 255, bool required = false, bool trim = true)
    {
        var node = Json[key];
        if (node is null)
        {
            if (required) Problem(key, "can't be blank");
            return null;
        }
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            if (!_strictTypes && node is JsonValue n && n.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                return Check(key, n.ToJsonString(), maxLength, required);
            WrongType(key, "must be a string");
            return null;
        }
        var s = v.GetValue<string>();
        return Check(key, trim ? s.Trim() : s, maxLength, required);
    }

    /// <summary>A string field as sent (not trimmed, no length cap): the feature's service words its own limits.</summary>
    public string? Verbatim(string key) => String(key, int.MaxValue, trim: false);

    private string? Check(string key, string s, int maxLength, bool required)
    {
        if (required && s.Length == 0) { Problem(key, "can't be blank"); return null; }
        if (s.Contains('\0')) { WrongType(key, NulProblem); return null; }
        if (s.Length > maxLength) { Problem(key, $"is too long (maximum is {maxLength} characters)"); return null; }
        return s;
    }

    public int? Int(string key, bool required = false)
    {
        var node = Json[key];
        if (node is null) { if (required) Problem(key, "can't be blank"); return null; }
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) return i;
            if (v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), out var p)) return p;
        }
        WrongType(key, "must be a whole number");
        return null;
    }

    public long? Long(string key)
    {
        var node = Json[key];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var i)) return i;
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && d is > -1e15 and < 1e15) return (long)d;
            if (v.GetValueKind() == JsonValueKind.String && long.TryParse(v.GetValue<string>(), out var p)) return p;
        }
        WrongType(key, "must be a number");
        return null;
    }

    public bool? Bool(string key)
    {
        var node = Json[key];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
            if (v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is var text)
            {
                if (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
                if (text == "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
            }
        }
        WrongType(key, "must be true or false");
        return null;
    }

    /// <summary>A JSON object field, kept at most <paramref name="maxLength"/> characters when serialised.</summary>
    /// <summary>
    /// An object to store (attributes): at most <paramref name="maxLength"/> characters as JSON and
    /// <see cref="JsonLimits.MaxDepth"/> levels deep, so that every answer that carries it can still be written.
    /// </summary>
    public JsonObject? Object(string key, int maxLength = 16_384)
    {
        var node = Json[key];
        if (node is null) return null;
        if (node is not JsonObject o) { WrongType(key, "must be an object"); return null; }
        if (o.ToJsonString().Length > maxLength) { Problem(key, $"is too large (maximum is {maxLength} characters)"); return null; }
        if (JsonLimits.Depth(o) > JsonLimits.MaxDepth) { Problem(key, $"is nested too deeply (at most {JsonLimits.MaxDepth} levels)"); return null; }
        return o;
    }

    public List<string>? Strings(string key, int maxItems = 100, int maxLength = 255)
    {
        var node = Json[key];
        if (node is null) return null;
        if (node is not JsonArray a || a.Count > maxItems) { Problem(key, $"must be a list of at most {maxItems} strings"); return null; }
        var list = new List<string>();
        foreach (var item in a)
        {
            if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length > maxLength
                || v.GetValue<string>().Contains('\0'))
            {
                Problem(key, $"must be a list of strings of at most {maxLength} characters");
                return null;
            }
            list.Add(v.GetValue<string>().Trim());
        }
        return list;
    }

    /// <summary>
    /// A list of whole numbers (ids) of at least <paramref name="min"/>; numbers written as strings are accepted, as form
    /// fields send them. The problem names the list "at most <paramref name="maxItems"/> ids", or <paramref name="noun"/>
    /// when given ("inbox ids": "must be a list of inbox ids (positive whole numbers)").
    /// </summary>
    public List<int>? Ints(string key, int maxItems = 1000, int min = int.MinValue, string? noun = null)
    {
        var node = Json[key];
        if (node is null) return null;
        if (node is JsonArray a && a.Count <= maxItems)
        {
            var list = new List<int>(a.Count);
            foreach (var item in a)
            {
                if (item is JsonValue v && (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)
                        || v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), out i)) && i >= min)
                    list.Add(i);
                else
                {
                    Problem(key, noun is null ? $"must be a list of at most {maxItems} ids"
                        : $"must be a list of {noun} ({(min == 1 ? "positive whole numbers" : "whole numbers")})");
                    return null;
                }
            }
            return list;
        }
        Problem(key, noun is null ? $"must be a list of at most {maxItems} ids" : $"must be a list of {noun}");
        return null;
    }

    /// <summary>Adds a problem: "<Attribute> <message>" in the 422 body, as the reference words it.</summary>
    public void Problem(string attribute, string message) => _problems.Add((attribute, message, false));

    private void WrongType(string attribute, string message) => _problems.Add((attribute, message, true));

    /// <summary>
    /// Makes a field of the wrong type (a number for a string, U+0000 in text, a string for an object) a 400 naming it,
    /// as devise and the reference's profile and agent endpoints refuse such a body, instead of a 422.
    /// </summary>
    public RequestBody WithStrictTypes()
    {
        _strictTypes = true;
        return this;
    }

    /// <summary>The 400 of a wrong-typed field under strict types, else the reference's 422 for every problem collected, or null when there was none.</summary>
    public IResult? Error => _problems.Count == 0 ? null
        : _strictTypes && _problems.FirstOrDefault(p => p.WrongType) is { Attribute: { } attribute } wrong ? ApiErrors.BadRequest($"{attribute} {wrong.Message}")
        : ApiErrors.Invalid(
        string.Join(", ", _problems.Select(p => $"{Humanize(p.Attribute)} {p.Message}")),
        _problems.Select(p => p.Attribute).Distinct().ToArray());

    public static string Humanize(string attribute)
    {
        var words = attribute.Replace('_', ' ');
        if (words.EndsWith(" id", StringComparison.Ordinal)) words = words[..^3];
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
