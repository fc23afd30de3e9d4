namespace UniLink.Bench.Live;

/// <summary>The server's resident set (its working set, VmRSS in /proc), read now and sampled every 250 ms for the peak.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly int _pid;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private double _peak;

    public MemorySampler(int pid)
    {
        _pid = pid;
        _timer = new Timer(_ =>
        {
            try { Sample(); }
            catch (IOException) { } // the server is gone: the run fails on its next request anyway
        }, null, 0, 250);
    }

    public double CurrentMiB() => Sample();

    public double PeakMiB() => Math.Max(_peak, Sample());

    private double Sample()
    {
        var line = File.ReadLines($"/proc/{_pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kib = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        var mib = kib / 1024;
        lock (_gate) _peak = Math.Max(_peak, mib);
        return mib;
    }

    public void Dispose() => _timer.Dispose();
}
