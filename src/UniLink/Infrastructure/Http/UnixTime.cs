using System.Globalization;

namespace UniLink.Infrastructure.Http;

/// <summary>Time on the wire: unix seconds, except where the reference uses ISO strings.</summary>
public static class UnixTime
{
    public static long Seconds(DateTime t) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeSeconds();

    /// <summary>Unset times are <c>0</c> on the conversation wire shape.</summary>
    public static long SecondsOrZero(DateTime? t) => t is { } v ? Seconds(v) : 0;

    public static long? SecondsOrNull(DateTime? t) => t is { } v ? Seconds(v) : null;

    /// <summary>Fractional seconds, as the reference emits <c>updated_at</c>.</summary>
    public static double FractionalSeconds(DateTime t) =>
        Math.Round(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds() / 1000.0, 3);

    /// <summary><c>2022-06-27T08:28:29.841Z</c></summary>
    public static string IsoMillis(DateTime t) =>
        DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Now, truncated to microseconds so that what is stored equals what is read back on every engine.</summary>
    public static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
    }
}
