namespace UniLink.Bench.Live;

/// <summary>
/// Puts the other agents' Chromium at the lowest CPU priority. On a real team each dashboard renders on its agent's
/// own computer; here 200 of them share the server's cores, and at equal priority their rendering, not the server,
/// decides how long a message takes. They stay live dashboards: the run checks every circuit and every agent on the
/// measured conversation at the end.
/// </summary>
/// <remarks>
/// Linux schedules each session (autogroup) as one unit, so renicing the processes does nothing against the server,
/// which runs in another session: the nice value that counts is the autogroup's (<c>/proc/PID/autogroup</c>).
/// Playwright starts each browser in a session of its own, so this lowers that browser and nothing else.
/// </remarks>
public static class AgentsPriority
{
    public static HashSet<int> ChromiumProcesses() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Read($"/proc/{pid}/comm")?.Trim() == "chromium")
            .ToHashSet();

    /// <summary>Lowers the session of the Chromium processes that are not in <paramref name="before"/>; says what it did.</summary>
    public static string Lower(HashSet<int> before)
    {
        var started = ChromiumProcesses().Except(before).ToList();
        var own = Group(Read("/proc/self/autogroup"));
        var groups = started.Select(pid => (pid, group: Group(Read($"/proc/{pid}/autogroup")))).Where(p => p.group is not null).ToList();
        if (groups.Count == 0) return "equal CPU priority (no autogroup scheduling here)";
        if (groups.Any(g => g.group == own)) return "equal CPU priority (the agents' browser shares this process's session)";
        try
        {
            foreach (var (pid, _) in groups.DistinctBy(g => g.group)) File.WriteAllText($"/proc/{pid}/autogroup", "19");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"equal CPU priority (could not lower it: {e.Message})";
        }
        return "lowest CPU priority (their session at nice 19)";
    }

    /// <summary>CPU time (user + system) that every Chromium process running now has used, in seconds.</summary>
    public static double ChromiumCpuSeconds() =>
        ChromiumProcesses().Sum(pid => Read($"/proc/{pid}/stat") is { } stat
            // utime and stime are fields 14 and 15, counted after the command name's closing parenthesis, in 1/100 s.
            ? stat[(stat.LastIndexOf(')') + 2)..].Split(' ') is var f && f.Length > 12 ? (double.Parse(f[11]) + double.Parse(f[12])) / 100 : 0
            : 0);

    /// <summary>"/autogroup-42874 nice 0" → "/autogroup-42874".</summary>
    private static string? Group(string? line) => line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
