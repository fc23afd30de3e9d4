using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace UniLink.Features.Attachments;

/// <summary>An S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, Ceph RGW …), shared by every node.</summary>
public sealed class S3FileStore(IAmazonS3 client, string bucket) : IFileStore
{
    public static S3FileStore Create(S3Location at)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = at.Endpoint,
            ForcePathStyle = at.PathStyle,
            AuthenticationRegion = at.Region,
            // Checksums only where S3 requires them: the newer default (trailing CRC32 in aws-chunked bodies) is not
            // understood by many S3-compatible servers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromMinutes(5),
        };
        return new S3FileStore(new AmazonS3Client(new BasicAWSCredentials(at.AccessKey, at.SecretKey), config), at.Bucket);
    }

    public async Task PutAsync(string key, string path, string contentType, CancellationToken ct)
    {
        try
        {
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = key, FilePath = path, ContentType = contentType, UseChunkEncoding = false,
            }, ct);
        }
        finally { File.Delete(path); }
    }

    public async Task<(Stream Content, long Length)?> OpenReadAsync(string key, CancellationToken ct)
    {
        try
        {
            var response = await client.GetObjectAsync(bucket, key, ct);
            return (response.ResponseStream, response.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Only the range is fetched from the bucket (a GET with its Range header).</summary>
    public async Task<Stream?> OpenRangeAsync(string key, long from, long length, CancellationToken ct)
    {
        try
        {
            var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(from, from + length - 1) }, ct);
            // Never more than asked for, whatever the store sends back (some S3-compatible servers read "bytes=0-0" loosely).
            return new LimitedStream(response.ResponseStream, length);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct) => client.DeleteObjectAsync(bucket, key, ct);
}

/// <summary>
/// UNILINK_S3_URL: <c>s3://ACCESS_KEY:SECRET@host[:port]/bucket</c> (HTTPS) or <c>s3+http://…</c> (plain HTTP, e.g. a
/// store on loopback), with optional <c>?region=…</c> (default us-east-1; R2: auto) and <c>path_style=0</c> for
/// virtual-hosted addressing. Key and secret are URL-encoded.
/// </summary>
public sealed record S3Location(string Endpoint, string Bucket, string AccessKey, string SecretKey, string Region, bool PathStyle)
{
    /// <summary>Never the secret: options get logged.</summary>
    public override string ToString() => $"{Endpoint}/{Bucket} ({Region})";

    public static bool TryParse(string url, out S3Location? location, out string why)
    {
        location = null;
        why = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("s3" or "s3+http"))
        {
            why = "must look like s3://ACCESS_KEY:SECRET@host[:port]/bucket (or s3+http:// for plain HTTP)";
            return false;
        }
        var credentials = uri.UserInfo.Split(':', 2);
        if (credentials.Length != 2 || credentials[0].Length == 0 || credentials[1].Length == 0)
        {
            why = "needs the access key and secret as s3://ACCESS_KEY:SECRET@host/bucket";
            return false;
        }
        var bucket = uri.AbsolutePath.Trim('/');
        if (bucket.Length is < 3 or > 63 || bucket.Contains('/'))
        {
            why = "needs a bucket name (3-63 characters) as the path: s3://…@host/bucket";
            return false;
        }
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var scheme = uri.Scheme == "s3" ? "https" : "http";
        var port = uri.IsDefaultPort || uri.Port < 0 ? "" : $":{uri.Port}";
        location = new S3Location($"{scheme}://{uri.Host}{port}", bucket, Uri.UnescapeDataString(credentials[0]),
            Uri.UnescapeDataString(credentials[1]), query["region"] is { Length: > 0 } r ? r : "us-east-1", query["path_style"] != "0");
        return true;
    }
}
