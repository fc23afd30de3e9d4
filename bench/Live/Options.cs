namespace UniLink.Bench.Live;

public sealed record Options(string Url, int Pid, string Token, string Email, string Password, int AppPort, int Agents, int Samples,
    int FetchInfo, int LiveSeconds, string Out, bool AgentsAtLowPriority)
{
    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2) map[args[i].TrimStart('-')] = args[i + 1];
        string Get(string key, string? fallback = null) =>
            map.GetValueOrDefault(key) ?? fallback ?? throw new ArgumentException($"--{key} is required");
        return new Options(Get("url"), int.Parse(Get("pid")), Get("token"), Get("email", "admin@unilink.local"), Get("password"),
            int.Parse(Get("app-port")), int.Parse(Get("agents", "200")), int.Parse(Get("samples", "100")),
            int.Parse(Get("fetch-info", "1000")), int.Parse(Get("live-seconds", "120")), Get("out", "live.md"),
            Get("agents-priority", "low") != "equal");
    }
}
