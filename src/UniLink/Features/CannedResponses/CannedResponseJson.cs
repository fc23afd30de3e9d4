namespace UniLink.Features.CannedResponses;

/// <summary>A canned response as the reference renders the record (times as ISO strings).</summary>
public sealed record CannedResponseJson(int Id, int AccountId, string ShortCode, string Content, string CreatedAt, string UpdatedAt);

public static class CannedResponseMapping
{
    public static CannedResponseJson ToJson(this CannedResponse r) =>
        new(r.Id, r.AccountId, r.ShortCode, r.Content, UnixTime.IsoMillis(r.CreatedAt), UnixTime.IsoMillis(r.UpdatedAt));
}
