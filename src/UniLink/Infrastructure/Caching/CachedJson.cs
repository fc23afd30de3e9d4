using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace UniLink.Infrastructure.Caching;

public static class CachedJson
{
    /// <summary>A GET's body served from <see cref="ReadCache"/> as the serialised bytes; 404 when the read finds nothing.</summary>
    public static async Task<IResult> ResponseAsync<T>(this ReadCache cache, object key, Type[] readsFrom,
        Func<CancellationToken, Task<T?>> read, CancellationToken ct) where T : class
    {
        var body = await cache.GetOrReadAsync(key, readsFrom,
            async c => await read(c) is { } value ? JsonSerializer.SerializeToUtf8Bytes(value, WireJson.Options) : null, ct);
        return body is null ? ApiErrors.NotFound() : TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    /// <summary>As above, written by <see cref="WireJsonContext"/>'s generated code (the same bytes, see <see cref="WireJsonResult{T}"/>).</summary>
    public static async Task<IResult> ResponseAsync<T>(this ReadCache cache, object key, Type[] readsFrom,
        Func<CancellationToken, Task<T?>> read, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        var body = await cache.GetOrReadAsync(key, readsFrom,
            async c => await read(c) is { } value ? WireJsonResult<T>.Bytes(value, type) : null, ct);
        return body is null ? ApiErrors.NotFound() : TypedResults.Bytes(body, "application/json; charset=utf-8");
    }
}
