namespace UniLink.Features.DashboardApps.Signing;

/// <summary>
/// One ES256 key pair that signs context tokens, shared by every node on the database. Published in the JWKS from
/// <see cref="CreatedAt"/> to <see cref="ExpiresAt"/>, used to sign from <see cref="ActivatesAt"/> to <see cref="RetiresAt"/>:
/// a successor is published before it signs, and a retired key stays published a while, so an app's cached JWKS
/// always holds the key of any token it is shown.
/// </summary>
public class ContextSigningKey
{
    public int Id { get; set; }
    /// <summary>The key's RFC 7638 thumbprint (the JWT header's and the JWKS's <c>kid</c>).</summary>
    public required string Kid { get; set; }
    /// <summary>The public key as a JWK (JSON text), as the JWKS lists it.</summary>
    public required string PublicJwk { get; set; }
    /// <summary>The private key (PKCS#8), encrypted with the data-protection keys.</summary>
    public required string PrivateKeyCiphertext { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ActivatesAt { get; set; }
    public DateTime RetiresAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}
