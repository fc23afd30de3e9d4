using System.Diagnostics;
using System.Text;

namespace UniLink.Tests.Infrastructure;

/// <summary>A child process whose stdout and stderr are read all along (a full pipe would block it) into <see cref="Output"/>.</summary>
public sealed class CapturedProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    public Process Process { get; }

    public CapturedProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        Process = new Process { StartInfo = start };
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.Start();
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => Process.HasExited;

    /// <summary>SIGKILL to it and to everything it started, and waits for it to end.</summary>
    public void Kill()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public void Dispose()
    {
        if (!Process.HasExited) Kill();
        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) if (_output.Length < 1_000_000) _output.AppendLine(line);
    }

    /// <summary>The folder holding UniLink.slnx, above the running test assembly.</summary>
    public static DirectoryInfo RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "UniLink.slnx"))) dir = dir.Parent;
        return dir ?? throw new InvalidOperationException($"No UniLink.slnx above {AppContext.BaseDirectory}");
    }
}
