namespace UniLink.Bench.Scale;

/// <summary>
/// Words for messages, drawn with Zipf's law (rank r has weight 1/r): everyday and support words first, then
/// made-up product and place names that each appear in only a few hundred messages ("rare words").
/// </summary>
public static class Vocabulary
{
    public static readonly string[] FirstNames =
    [
        "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth", "David", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Maria", "Ahmed", "Wei", "Yuki", "Olga",
        "Lucas", "Sofia", "Mateo", "Emma", "Noah", "Olivia", "Liam", "Ava", "Ethan", "Mia", "Amara", "Kofi", "Priya", "Arjun",
        "Fatima", "Omar", "Hana", "Jonas", "Elena", "Pablo", "Ingrid", "Sven", "Aisha", "Diego", "Chloe", "Tariq", "Nina",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
        "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
        "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
        "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
        "Mitchell", "Carter", "Roberts", "Kowalski", "Novak", "Müller", "Schmidt", "Rossi", "Dubois", "Tanaka", "Kim", "Singh",
    ];

    private static readonly string[] Common =
    [
        "the", "i", "to", "and", "a", "my", "is", "you", "it", "for", "of", "order", "in", "have", "not", "on", "please", "this",
        "we", "can", "with", "be", "hi", "thanks", "your", "was", "but", "me", "that", "will", "do", "at", "hello", "are", "an",
        "if", "get", "would", "so", "just", "account", "no", "help", "when", "still", "from", "payment", "there", "need", "could",
        "delivery", "yes", "received", "what", "refund", "thank", "know", "been", "email", "how", "today", "card", "item", "back",
        "sorry", "again", "one", "time", "been", "now", "issue", "number", "problem", "shipping", "package", "customer", "our",
        "team", "update", "check", "send", "sent", "address", "price", "charged", "cancel", "subscription", "password", "login",
        "app", "website", "invoice", "week", "days", "tracking", "return", "exchange", "size", "color", "wrong", "missing",
        "damaged", "arrived", "waiting", "long", "reply", "answer", "looking", "into", "ticket", "store", "online", "product",
        "discount", "code", "coupon", "bank", "transfer", "twice", "error", "message", "screen", "phone", "call", "support",
        "manager", "weekend", "morning", "afternoon", "tomorrow", "yesterday", "monday", "friday", "asap", "urgent", "soon",
        "great", "good", "perfect", "okay", "sure", "understand", "confirm", "confirmed", "details", "information", "link",
        "click", "button", "page", "reset", "changed", "change", "new", "old", "first", "last", "second", "plan", "upgrade",
        "downgrade", "billing", "receipt", "statement", "courier", "warehouse", "stock", "available", "preorder", "gift",
        "voucher", "balance", "credit", "debit", "paypal", "visa", "mastercard", "dispatch", "dispatched", "estimated", "arrive",
        "photo", "attached", "attachment", "screenshot", "replacement", "warranty", "repair", "broken", "battery", "charger",
        "cable", "box", "label", "printer", "pickup", "locker", "neighbour", "signature", "doorstep", "apartment", "floor",
    ];

    private static readonly string[] Syllables =
    [
        "zor", "bla", "qui", "ven", "tak", "lum", "dri", "pex", "nor", "vak", "sil", "tro", "mek", "jun", "fal", "qua", "rin",
        "dox", "wel", "kas", "bri", "gon", "plu", "zet", "hav", "mir", "sok", "tuv", "yar", "cel",
    ];

    /// <summary>Every word, most frequent first.</summary>
    public static readonly string[] Words = Build();

    private static string[] Build()
    {
        var words = Common.Distinct().ToList();
        // Made-up names, three syllables each: thousands of words that each turn up rarely.
        for (var i = 0; words.Count < 6_000; i++)
            words.Add(Syllables[i % 30] + Syllables[i / 30 % 30] + Syllables[(i / 900 + i) % 30]);
        return words.Distinct().ToArray();
    }

    private static readonly double[] Cumulative = BuildCumulative();

    private static double[] BuildCumulative()
    {
        var c = new double[Words.Length];
        var sum = 0.0;
        for (var i = 0; i < Words.Length; i++) c[i] = sum += 1.0 / (i + 1);
        for (var i = 0; i < c.Length; i++) c[i] /= sum;
        return c;
    }

    public static string Word(Random rng)
    {
        var i = Array.BinarySearch(Cumulative, rng.NextDouble());
        return Words[Math.Min(i < 0 ? ~i : i, Words.Length - 1)];
    }

    public static string Sentence(Random rng)
    {
        var n = rng.Next(4, 26);
        var b = new System.Text.StringBuilder(n * 7);
        for (var i = 0; i < n; i++)
        {
            var w = Word(rng);
            if (i == 0) b.Append(char.ToUpperInvariant(w[0])).Append(w, 1, w.Length - 1);
            else b.Append(' ').Append(w);
        }
        if (rng.Next(8) == 0) b.Append(" #").Append(rng.Next(1000, 99999));
        return b.Append(rng.Next(5) == 0 ? '?' : '.').ToString();
    }
}
