using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace UniLink.Features.Widget;

/// <summary>
/// A website visitor's token (the reference's <c>X-Auth-Token</c>): names one contact of one website inbox (its
/// contact inbox's <c>source_id</c>), sealed with the data-protection keys, which several nodes share through Redis.
/// It never expires, as the reference's; whoever holds it is that visitor, so it stays in the widget's storage.
/// </summary>
public sealed class VisitorTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("UniLink.Widget.Visitor.v1");

    public string Issue(int inboxId, string sourceId) => _protector.Protect($"{inboxId}|{sourceId}");

    public (int InboxId, string SourceId)? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024) return null;
        try
        {
            var parts = _protector.Unprotect(token).Split('|', 2);
            return parts.Length == 2 && int.TryParse(parts[0], out var inboxId) ? (inboxId, parts[1]) : null;
        }
        catch (CryptographicException) { return null; }
        catch (FormatException) { return null; }
    }
}
