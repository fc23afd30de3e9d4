using Microsoft.Extensions.Logging;

namespace UniLink.Tests.Infrastructure;

/// <summary>
/// Appends what a test server logs as an error (with its exception) to the file named by <c>UNILINK_TEST_ERROR_LOG</c>,
/// which ./test prints when a run fails: a test that sees a 500 then shows why.
/// </summary>
public sealed class ErrorFileLoggerProvider(string path) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new ErrorFileLogger(path, categoryName);

    public void Dispose() { }

    private sealed class ErrorFileLogger(string path, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var entry = $"{DateTime.UtcNow:O} {logLevel} {category}: {formatter(state, exception)}\n{exception}\n\n";
            lock (Gate)
            {
                try { File.AppendAllText(path, entry); }
                catch (IOException) { }
            }
        }
    }
}
