using Microsoft.Net.Http.Headers;

namespace UniLink.Features.Attachments;

public static class AttachmentsEndpoints
{
    /// <summary>
    /// An attachment's bytes (<c>file</c>) or its thumbnail (<c>thumb</c>): to members of the account (session or token), or to
    /// anyone holding a link from <c>data_url</c>/<c>thumb_url</c> until it expires. The name at the end is only for the
    /// browser; never served as anything that could run on this origin.
    /// </summary>
    public static RouteGroupBuilder MapAttachments(this RouteGroupBuilder account)
    {
        account.MapGet("/attachments/{attachment_id:int}/{variant}/{file_name}", async (HttpContext http, string account_id, int attachment_id,
            string variant, string? token, UniLinkDb db, IFileStore files, AttachmentLinks links, CancellationToken ct) =>
        {
            // The account's id is read here, not from an AccountScope: a link's holder need not be a member (the account
            // group's {account_id} has no constraint, so that every account route answers a bad one alike).
            var id = attachment_id;
            if (!int.TryParse(account_id, out var accountId) || variant is not (AttachmentLinks.File or AttachmentLinks.Thumb)) return ApiErrors.NotFound();
            if (token is not null)
            {
                switch (links.Check(token, accountId, id, variant))
                {
                    case AttachmentLinks.Verdict.Expired:
                        return TypedResults.Json(new { error = "This link has expired; the message's data_url holds a fresh one" }, WireJson.Options, statusCode: 403);
                    case AttachmentLinks.Verdict.Invalid:
                        return TypedResults.Json(new { error = "This link is not valid" }, WireJson.Options, statusCode: 403);
                }
            }
            else if (http.Items[typeof(AccountScope)] is not AccountScope)
            {
                // Not signed in (members were checked by AccountScopeMiddleware before this).
                return ApiTokenHandler.HasToken(http) ? ApiErrors.InvalidAccessToken() : ApiErrors.SignInRequired();
            }

            var a = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.AccountId == accountId, ct);
            var key = variant == AttachmentLinks.Thumb ? a?.ThumbKey : a?.StorageKey;
            if (a is null || key is null) return ApiErrors.NotFound();
            // A player seeking in a video or audio file asks for one byte range: only that part is read (from the bucket too).
            var range = variant == AttachmentLinks.File ? ByteRange(http.Request, a.FileSize) : null;
            if (range is { Satisfiable: false })
            {
                http.Response.Headers[HeaderNames.ContentRange] = $"bytes */{a.FileSize}";
                return TypedResults.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
            }
            Stream? partial = null;
            (Stream Content, long Length)? stored = null;
            if (range is { } r) partial = await files.OpenRangeAsync(key, r.From, r.Length, ct);
            else stored = await files.OpenReadAsync(key, ct);
            if (partial is null && stored is null) return ApiErrors.NotFound();

            var headers = http.Response.Headers;
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            headers[HeaderNames.ContentSecurityPolicy] = "sandbox";
            headers[HeaderNames.CacheControl] = "private, max-age=300";
            string contentType;
            if (variant == AttachmentLinks.Thumb)
            {
                contentType = key.EndsWith("-png", StringComparison.Ordinal) ? "image/png" : "image/jpeg";
                headers[HeaderNames.ContentDisposition] = "inline";
            }
            else
            {
                // Only media the browser shows and never runs keeps its type; HTML, SVG, PDF … download as bytes.
                var inline = FileTypes.IsSafeInline(a.ContentType);
                contentType = inline ? a.ContentType : "application/octet-stream";
                var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
                disposition.SetHttpFileName(a.FileName);
                headers[HeaderNames.ContentDisposition] = disposition.ToString();
            }
            headers[HeaderNames.AcceptRanges] = "bytes";
            if (partial is not null)
            {
                var (from, length) = (range!.Value.From, range.Value.Length);
                http.Response.StatusCode = StatusCodes.Status206PartialContent;
                headers[HeaderNames.ContentRange] = $"bytes {from}-{from + length - 1}/{a.FileSize}";
                http.Response.ContentLength = length;
                return TypedResults.Stream(partial, contentType);
            }
            http.Response.ContentLength = stored!.Value.Length;
            return TypedResults.Stream(stored.Value.Content, contentType);
        }).AllowAnonymous().AllowBots().WithName("download-an-attachment")
            .WithSummary("An attachment's file or thumbnail: for members of the account, or through its signed data_url/thumb_url").AnswersFile();
        return account;
    }

    /// <summary>
    /// One <c>Range: bytes=…</c> of a file of <paramref name="size"/> bytes; null when there is none, it is not bytes or asks for
    /// several ranges (the whole file is sent then, as HTTP allows), not satisfiable when it starts past the end.
    /// </summary>
    internal static (long From, long Length, bool Satisfiable)? ByteRange(HttpRequest request, long size)
    {
        if (!RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var header) || header.Unit != "bytes" || header.Ranges.Count != 1) return null;
        var r = header.Ranges.First();
        long from, to;
        if (r.From is null) // the last N bytes
        {
            if (r.To is not > 0) return (0, 0, false);
            from = Math.Max(0, size - r.To.Value);
            to = size - 1;
        }
        else
        {
            from = r.From.Value;
            to = Math.Min(r.To ?? size - 1, size - 1);
        }
        return from >= size || from > to ? (0, 0, false) : (from, to - from + 1, true);
    }
}
