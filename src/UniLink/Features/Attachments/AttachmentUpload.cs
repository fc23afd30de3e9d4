using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace UniLink.Features.Attachments;

/// <summary>The limits on what a message may carry (README, Attachments).</summary>
public static class AttachmentLimits
{
    /// <summary>40 MB per file, as the reference.</summary>
    public const long MaxFileBytes = 40L * 1024 * 1024;
    public const int MaxFiles = 10;
    /// <summary>Every form field together (the same as a JSON body).</summary>
    public const int MaxFieldBytes = RequestBody.MaxBytes;
}

/// <summary>A received file, on local disk until the message is saved.</summary>
public sealed record StagedFile(string FileName, string? Extension, string ContentType, AttachmentFileType FileType, long Size, string Path,
    int? Width = null, int? Height = null, string? ThumbPath = null, string? ThumbContentType = null);

/// <summary>
/// A message create request's fields and files. JSON and URL-encoded bodies read as before; <c>multipart/form-data</c>
/// is read a part at a time, each file streamed to a staging folder (never held whole in memory) and measured
/// against the limits as it arrives (<c>attachments[]</c>, or <c>message[attachments][]</c> as the website widget sends them).
/// Disposing deletes whatever staged file was not stored.
/// </summary>
public sealed class MessageUpload : IDisposable
{
    public RequestBody Body { get; }
    public IReadOnlyList<StagedFile> Files { get; }

    private MessageUpload(RequestBody body, IReadOnlyList<StagedFile> files)
    {
        Body = body;
        Files = files;
    }

    public void Dispose()
    {
        foreach (var f in Files) Delete(f);
    }

    private static void Delete(StagedFile f)
    {
        File.Delete(f.Path);
        if (f.ThumbPath is not null) File.Delete(f.ThumbPath);
    }

    public static async Task<(MessageUpload? Upload, IResult? Error)> ReadAsync(HttpRequest request, AttachmentStaging staging)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) != true)
        {
            var (body, bad) = await RequestBody.ReadAsync(request);
            return bad is not null ? (null, bad) : (new MessageUpload(body!, []), null);
        }
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            ? HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            return (null, ApiErrors.BadRequest("The multipart body has no boundary in its Content-Type"));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = AttachmentLimits.MaxFiles * AttachmentLimits.MaxFileBytes + 2 * AttachmentLimits.MaxFieldBytes;

        var fields = new List<KeyValuePair<string, string>>();
        var files = new List<StagedFile>();
        string? problem = null;
        var fieldChars = 0;
        var ct = request.HttpContext.RequestAborted;
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null, HeadersLengthLimit = 16 * 1024 };
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    var fileName = CleanName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);
                    if (name is not ("attachments[]" or "attachments" or "message[attachments][]") || problem is not null) continue; // the reader skips what is left of it
                    if (fileName is null) continue; // an empty file input sends a part without a name
                    if (files.Count == AttachmentLimits.MaxFiles)
                    {
                        problem = $"Attachments are too many (maximum is {AttachmentLimits.MaxFiles} files per message)";
                        continue;
                    }
                    var (staged, tooLarge) = await StageAsync(section, fileName, staging, ct);
                    if (tooLarge) problem = $"Attachment '{fileName}' is too large (maximum is {AttachmentLimits.MaxFileBytes / (1024 * 1024)} MB)";
                    else files.Add(staged!);
                    continue;
                }
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                var buffer = new char[AttachmentLimits.MaxFieldBytes - fieldChars + 1];
                var read = await text.ReadBlockAsync(buffer, ct);
                fieldChars += read;
                if (fieldChars > AttachmentLimits.MaxFieldBytes)
                {
                    foreach (var f in files) Delete(f);
                    return (null, ApiErrors.BadRequest("The form's fields are larger than 1 MiB together"));
                }
                fields.Add(new(name, new string(buffer, 0, read)));
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            foreach (var f in files) Delete(f);
            if (ct.IsCancellationRequested) throw;
            return (null, ApiErrors.BadRequest($"Malformed multipart body: {e.Message}"));
        }
        catch
        {
            foreach (var f in files) Delete(f);
            throw;
        }

        for (var i = 0; i < files.Count && problem is null; i++)
        {
            if (files[i].FileType != AttachmentFileType.Image) continue;
            var (analysed, why) = ImageFiles.Analyse(files[i], staging);
            if (analysed is null) problem = why;
            else files[i] = analysed;
        }
        if (problem is not null)
        {
            foreach (var f in files) Delete(f);
            return (null, ApiErrors.Invalid(problem, "attachments"));
        }

        var json = FormToJson.Convert(fields);
        // Form clients send objects as JSON text (the published SDKs do for content_attributes).
        foreach (var key in new[] { "content_attributes", "template_params" })
        {
            if (json[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.TrimStart().StartsWith('{'))
            {
                try { json[key] = JsonNode.Parse(s); }
                catch (JsonException) { /* left a string: the 422 says it must be an object */ }
            }
        }
        return (new MessageUpload(RequestBody.FromObject(json), files), null);
    }

    private static async Task<(StagedFile? File, bool TooLarge)> StageAsync(MultipartSection section, string fileName, AttachmentStaging staging,
        CancellationToken ct)
    {
        var contentType = CleanContentType(section.ContentType);
        var path = staging.NewPath();
        long size = 0;
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                var buffer = new byte[64 * 1024];
                int n;
                while ((n = await section.Body.ReadAsync(buffer, ct)) > 0)
                {
                    size += n;
                    if (size > AttachmentLimits.MaxFileBytes)
                    {
                        target.Close();
                        File.Delete(path);
                        return (null, true);
                    }
                    await target.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return (new StagedFile(fileName, ExtensionOf(fileName), contentType, FileTypes.Classify(contentType), size, path), false);
    }

    /// <summary>The name without any folder or control character, at most 255 characters (the extension kept); null when empty.</summary>
    internal static string? CleanName(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var name = raw.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string(name.Where(c => !char.IsControl(c) && c is not ('"' or '\u2028' or '\u2029')).ToArray()).Trim();
        if (name.Length == 0 || name is "." or "..") return null;
        if (name.Length > 255)
        {
            var ext = Path.GetExtension(name);
            name = ext.Length is > 0 and <= 16 ? name[..(255 - ext.Length)] + ext : name[..255];
        }
        return name;
    }

    private static string? ExtensionOf(string name)
    {
        var dot = name.LastIndexOf('.');
        if (dot < 0 || dot == name.Length - 1) return null;
        var ext = name[(dot + 1)..].ToLowerInvariant();
        return ext.Length <= 16 && ext.All(char.IsAsciiLetterOrDigit) ? ext : null;
    }

    private static string CleanContentType(string? raw)
    {
        if (raw is null || !MediaTypeHeaderValue.TryParse(raw, out var parsed) || parsed.MediaType.Value is not { } type) return "application/octet-stream";
        type = type.ToLowerInvariant();
        var slash = type.IndexOf('/');
        return slash > 0 && slash < type.Length - 1 && type.Length <= 100 && type.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-' or '_')
            ? type : "application/octet-stream";
    }
}

/// <summary>Where uploads wait (on the data folder's disk, so storing one locally is a rename); emptied at start-up.</summary>
public sealed class AttachmentStaging
{
    public string Folder { get; }

    public AttachmentStaging(Infrastructure.Config.UniLinkOptions options)
    {
        Folder = Path.Combine(Path.GetFullPath(options.DataDir), "uploads");
        if (Directory.Exists(Folder))
            foreach (var stale in Directory.EnumerateFiles(Folder).Where(f => File.GetLastWriteTimeUtc(f) < DateTime.UtcNow.AddHours(-1)))
                File.Delete(stale);
        Directory.CreateDirectory(Folder);
    }

    public string NewPath() => Path.Combine(Folder, Guid.NewGuid().ToString("N"));
}
