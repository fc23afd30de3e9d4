using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using UniLink.Infrastructure.Auth;
using UniLink.Infrastructure.Db;
using UniLink.Infrastructure.Http;

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
        account.MapGet("/attachments/{attachment_id}/{variant}/{file_name}", async (HttpContext http, string account_id, string attachment_id,
            string variant, string? token, UniLinkDb db, IFileStore files, AttachmentLinks links, CancellationToken ct) =>
        {
            if (!int.TryParse(account_id, out var accountId) || !int.TryParse(attachment_id, out var id)
                || variant is not (AttachmentLinks.File or AttachmentLinks.Thumb)) return ApiErrors.NotFound();
            if (token is not null)
            {
                switch (links.Check(token, accountId, id, variant))
                {
                    case AttachmentLinks.Verdict.Expired:
                        return Results.Json(new { error = "This link has expired; the message's data_url holds a fresh one" }, WireJson.Options, statusCode: 403);
                    case AttachmentLinks.Verdict.Invalid:
                        return Results.Json(new { error = "This link is not valid" }, WireJson.Options, statusCode: 403);
                }
            }
            else if (http.Items[typeof(AccountScope)] is not AccountScope)
            {
                // Not signed in (members were checked by AccountScopeMiddleware before this).
                return ApiTokenHandler.HasToken(http) ? ApiErrors.InvalidAccessToken() : ApiErrors.SignInRequired();
            }

            var a = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.AccountId == accountId, ct);
            var key = variant == AttachmentLinks.Thumb ? a?.ThumbKey : a?.StorageKey;
            if (a is null || key is null || await files.OpenReadAsync(key, ct) is not { } stored) return ApiErrors.NotFound();

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
            http.Response.ContentLength = stored.Length;
            return Results.Stream(stored.Content, contentType, enableRangeProcessing: stored.Content.CanSeek);
        }).AllowAnonymous().AllowBots().WithName("download-an-attachment")
            .WithSummary("An attachment's file or thumbnail: for members of the account, or through its signed data_url/thumb_url");
        return account;
    }
}
