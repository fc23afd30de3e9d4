using System.Diagnostics;

namespace UniLink.Bench.Context;

/// <summary>
/// <c>--cpu</c>: the benchmark's operation timed by the process's CPU time rather than the wall clock, for comparing
/// builds on a machine others are using (a wait for a core is not counted). Rounds of many operations one after
/// another; the least CPU per operation of the rounds is the figure (a round's extra is others' cache and GC noise).
/// </summary>
public static class CpuTime
{
    public static async Task RunAsync(Seed seed, IReadOnlyList<int> sizes, TextWriter output)
    {
        AppContextBenchmarks.Seed = seed;
        foreach (var size in sizes)
        {
            var bench = new AppContextBenchmarks { Messages = size };
            bench.Setup();
            var perRound = Math.Max(20, 200_000 / size);
            for (var i = 0; i < perRound; i++) await bench.BuildAndSerialize(); // warm-up (tiered JIT included)
            var cpu = new List<double>();
            var allocated = new List<double>();
            var process = Process.GetCurrentProcess();
            for (var round = 0; round < 7; round++)
            {
                GC.Collect();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < perRound; i++) await bench.BuildAndSerialize();
                var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds / perRound);
                allocated.Add((allocatedAfter - allocatedBefore) / (double)perRound);
            }
            cpu.Sort();
            allocated.Sort();
            var line = FormattableString.Invariant(
                $"| {size:N0} | {cpu[0]:0.000} ms | {cpu[cpu.Count / 2]:0.000} ms | {allocated[allocated.Count / 2] / 1024:0.0} KiB | {perRound} x 7 |");
            Console.WriteLine(line);
            await output.WriteLineAsync(line);
        }
    }
}
