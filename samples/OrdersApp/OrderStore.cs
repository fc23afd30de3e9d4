using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace OrdersApp;

public sealed record Order(string Number, string PlacedOn, string Status, decimal Total, string Currency, string Items, IReadOnlyList<Payment> Payments);

public sealed record Payment(string PaidOn, decimal Amount, string Method, string Status);

/// <summary>
/// The shop's own data, in its own SQLite file. A customer seen for the first time gets a plausible order
/// history (the same every time for the same customer), so the sample works with any UniLink contact. Customers are
/// keyed by the UniLink account and contact named in the verified context token ("{account}/{contact}").
/// </summary>
public sealed class OrderStore(OrdersSettings settings)
{
    private static readonly string[] Products = ["Trail running shoes", "Merino base layer", "Insulated bottle", "Headlamp 400lm", "Rain shell jacket", "Hiking socks (3 pairs)", "Daypack 22L", "Trekking poles"];
    private static readonly string[] Methods = ["Visa •••• 4242", "Mastercard •••• 5100", "PayPal", "Bank transfer"];

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(settings.DataDir, "orders.db") }.ToString();

    public void EnsureCreated()
    {
        Directory.CreateDirectory(settings.DataDir);
        using var db = Open();
        Execute(db, """
            CREATE TABLE IF NOT EXISTS orders (number TEXT PRIMARY KEY, email TEXT NOT NULL, placed_on TEXT NOT NULL,
              status TEXT NOT NULL, total TEXT NOT NULL, currency TEXT NOT NULL, items TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS orders_email ON orders(email);
            CREATE TABLE IF NOT EXISTS payments (order_number TEXT NOT NULL, paid_on TEXT NOT NULL, amount TEXT NOT NULL,
              method TEXT NOT NULL, status TEXT NOT NULL);
            """);
    }

    public IReadOnlyList<Order> OrdersFor(string email)
    {
        email = email.Trim().ToLowerInvariant();
        using var db = Open();
        var orders = Read(db, email);
        if (orders.Count > 0) return orders;
        Generate(db, email);
        return Read(db, email);
    }

    private SqliteConnection Open()
    {
        var db = new SqliteConnection(ConnectionString);
        db.Open();
        return db;
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static List<Order> Read(SqliteConnection db, string email)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT number, placed_on, status, total, currency, items FROM orders WHERE email = $e ORDER BY placed_on DESC";
        cmd.Parameters.AddWithValue("$e", email);
        var rows = new List<(string, string, string, decimal, string, string)>();
        using (var r = cmd.ExecuteReader())
            while (r.Read()) rows.Add((r.GetString(0), r.GetString(1), r.GetString(2), decimal.Parse(r.GetString(3), System.Globalization.CultureInfo.InvariantCulture), r.GetString(4), r.GetString(5)));
        return rows.Select(o => new Order(o.Item1, o.Item2, o.Item3, o.Item4, o.Item5, o.Item6, Payments(db, o.Item1))).ToList();
    }

    private static List<Payment> Payments(SqliteConnection db, string number)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT paid_on, amount, method, status FROM payments WHERE order_number = $n ORDER BY paid_on";
        cmd.Parameters.AddWithValue("$n", number);
        var list = new List<Payment>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(new Payment(r.GetString(0), decimal.Parse(r.GetString(1), System.Globalization.CultureInfo.InvariantCulture), r.GetString(2), r.GetString(3)));
        return list;
    }

    private static void Generate(SqliteConnection db, string email)
    {
        var seed = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(email)));
        var random = new Random(seed);
        var count = 2 + random.Next(4);
        var day = new DateOnly(2026, 11, 20);
        using var tx = db.BeginTransaction();
        for (var i = 0; i < count; i++)
        {
            day = day.AddDays(-(3 + random.Next(40)));
            var number = $"SO-{(uint)seed % 9000 + 1000}-{i + 1:D2}";
            var items = string.Join(", ", Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Products[random.Next(Products.Length)]).Distinct());
            var total = Math.Round(19.9m + random.Next(2000) / 10m, 2);
            var status = i == 0 ? (random.Next(2) == 0 ? "shipped" : "processing") : "delivered";
            Insert(db, tx, "INSERT INTO orders VALUES ($a, $b, $c, $d, $e, $f, $g)",
                number, email, day.ToString("yyyy-MM-dd"), status, total.ToString(System.Globalization.CultureInfo.InvariantCulture), "EUR", items);
            var refunded = i > 0 && random.Next(6) == 0;
            Insert(db, tx, "INSERT INTO payments VALUES ($a, $b, $c, $d, $e)",
                number, day.ToString("yyyy-MM-dd"), total.ToString(System.Globalization.CultureInfo.InvariantCulture), Methods[random.Next(Methods.Length)], "captured");
            if (refunded)
                Insert(db, tx, "INSERT INTO payments VALUES ($a, $b, $c, $d, $e)",
                    number, day.AddDays(9).ToString("yyyy-MM-dd"), (-total).ToString(System.Globalization.CultureInfo.InvariantCulture), "Refund", "refunded");
        }
        tx.Commit();
    }

    private static void Insert(SqliteConnection db, SqliteTransaction tx, string sql, params object[] values)
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < values.Length; i++) cmd.Parameters.AddWithValue("$" + (char)('a' + i), values[i]);
        cmd.ExecuteNonQuery();
    }
}
