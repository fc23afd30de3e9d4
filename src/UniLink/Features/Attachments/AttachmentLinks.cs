using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using UniLink.Infrastructure.Config;

namespace UniLink.Features.Attachments;

/// <summary>
/// The short-lived signed URLs an attachment's <c>data_url</c> and <c>thumb_url</c> hold, so an app, a webhook receiver
/// or a customer can fetch the file without an agent's session. Signed with the data-protection keys every node shares;
/// the expiry is inside the signed text so an expired link can be told apart from a forged one.
/// </summary>
public sealed class AttachmentLinks(IDataProtectionProvider protection, UniLinkOptions options, IServer server, TimeProvider clock)
{
    public const string File = "file";
    public const string Thumb = "thumb";
    private readonly IDataProtector _protector = protection.CreateProtector("UniLink.Attachments.Links.v1");
    private string? _base;
    private long _lifetimeSeconds = options.FileUrlSeconds;

    /// <summary>
    /// The same links, valid for <paramref name="seconds"/>: a webhook payload is sent again, byte for byte, for as long as
    /// its retries last (UNILINK_WEBHOOK_RETRY_HOURS), and its links must still work when a late retry arrives.
    /// </summary>
    public AttachmentLinks WithLifetime(long seconds) => new(protection, options, server, clock) { _base = _base, _lifetimeSeconds = seconds };

    public enum Verdict { Valid, Expired, Invalid }

    /// <summary>UNILINK_PUBLIC_URL, else the first address this server listens on.</summary>
    private string Base => _base ??= (options.PublicUrl
        ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? options.Urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries)[0]).TrimEnd('/').Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1");

    public string Url(Attachment a, string variant)
    {
        var expires = clock.GetUtcNow().ToUnixTimeSeconds() + _lifetimeSeconds;
        var token = _protector.Protect($"{a.AccountId}:{a.Id}:{variant}:{expires}");
        var name = Uri.EscapeDataString(variant == Thumb ? "thumbnail" + (a.ThumbKey?.EndsWith("-png") == true ? ".png" : ".jpg") : a.FileName);
        return $"{Base}/api/v1/accounts/{a.AccountId}/attachments/{a.Id}/{variant}/{name}?token={token}";
    }

    /// <summary>A contact's avatar, public under its random key (as the reference's avatar URLs).</summary>
    public string AvatarUrl(string key) => $"{Base}/avatars/{key}";

    /// <summary>The unsigned path, for the dashboard: the agent's session authorises it (and it never expires on an open page).</summary>
    public static string MemberPath(Attachment a, string variant) =>
        $"/api/v1/accounts/{a.AccountId}/attachments/{a.Id}/{variant}/{Uri.EscapeDataString(variant == Thumb ? "thumbnail" : a.FileName)}";

    public Verdict Check(string token, int accountId, int attachmentId, string variant)
    {
        string text;
        try { text = _protector.Unprotect(token); }
        catch (CryptographicException) { return Verdict.Invalid; }
        catch (FormatException) { return Verdict.Invalid; }
        var parts = text.Split(':');
        if (parts.Length != 4 || parts[0] != accountId.ToString() || parts[1] != attachmentId.ToString() || parts[2] != variant
            || !long.TryParse(parts[3], out var expires)) return Verdict.Invalid;
        return clock.GetUtcNow().ToUnixTimeSeconds() > expires ? Verdict.Expired : Verdict.Valid;
    }
}
