using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using UniLink.Bench.Context;

// Usage: Context <results.md> [--breakdown | --cpu]. Seeds a temp SQLite database, runs the benchmarks in-process (bounded: 3 warm-up
// and 15 measured iterations per size) and writes the results table with the goals.
var output = args.Length > 0 ? args[0] : "context.md";
int[] sizes = [100, 1_000, 10_000];
var goalsMs = new Dictionary<int, double> { [100] = 1, [1_000] = 5, [10_000] = 50 };

Console.WriteLine("Seeding conversations of 100, 1,000 and 10,000 messages through MessageService…");
await using var seed = await Seed.CreateAsync(sizes);
AppContextBenchmarks.Seed = seed;
if (args.Contains("--breakdown"))
{
    await Breakdown.RunAsync(seed, sizes);
    return 0;
}
if (args.Contains("--cpu"))
{
    await using var cpuOut = File.CreateText(output);
    await cpuOut.WriteLineAsync("| messages | CPU per build (least of 7 rounds) | median | allocated | operations |");
    await cpuOut.WriteLineAsync("|---|---|---|---|---|");
    await CpuTime.RunAsync(seed, sizes, cpuOut);
    return 0;
}

var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
    .WithWarmupCount(3).WithIterationCount(15).WithLaunchCount(1);
var config = ManualConfig.CreateMinimumViable().AddJob(job)
    .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "unilink-bench-context-artifacts"));
var summary = BenchmarkRunner.Run<AppContextBenchmarks>(config);

var inv = CultureInfo.InvariantCulture;
var lines = new List<string>
{
    "| messages | mean | p95 | allocated | allocated per message | goal | met |",
    "|---|---|---|---|---|---|---|",
};
foreach (var report in summary.Reports.OrderBy(r => (int)r.BenchmarkCase.Parameters["Messages"]))
{
    var size = (int)report.BenchmarkCase.Parameters["Messages"];
    var stats = report.ResultStatistics;
    if (stats is null)
    {
        lines.Add($"| {size:N0} | failed | | | | < {goalsMs[size]} ms | no |");
        continue;
    }
    var meanMs = stats.Mean / 1e6;
    var p95Ms = stats.Percentiles.P95 / 1e6;
    var bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
    lines.Add(string.Create(inv,
        $"| {size:N0} | {meanMs:0.000} ms | {p95Ms:0.000} ms | {bytes / 1024.0 / 1024.0:0.00} MiB | {bytes / (double)size / 1024.0:0.00} KiB | < {goalsMs[size]} ms | {(meanMs < goalsMs[size] ? "yes" : "no")} |"));
}
File.WriteAllLines(output, lines);
Console.WriteLine(string.Join(Environment.NewLine, lines));
return summary.HasCriticalValidationErrors || summary.Reports.Any(r => r.ResultStatistics is null) ? 1 : 0;
