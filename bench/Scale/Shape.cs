namespace UniLink.Bench.Scale;

/// <summary>The data set's documented shape. <c>BENCH_SCALE_FACTOR</c> (default 1) scales every count, for a quick try.</summary>
public sealed record Shape(int Conversations, int OpenRecent, int Messages, int Contacts, int LongConversations, int LongConversationMessages, int Seed)
{
    public static Shape FromEnvironment()
    {
        var factor = double.TryParse(Environment.GetEnvironmentVariable("BENCH_SCALE_FACTOR"), System.Globalization.CultureInfo.InvariantCulture, out var f) ? f : 1.0;
        int Scaled(int n) => Math.Max(10, (int)(n * factor));
        return new Shape(Scaled(200_000), Scaled(16_500), Scaled(2_000_000), Scaled(100_000), 5, 5_000, Seed: 20261206);
    }
}
