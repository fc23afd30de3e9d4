namespace UniLink.Tests.Infrastructure;

/// <summary>One server for every test of a class: xunit makes one per class that takes it as <c>IClassFixture</c>.</summary>
public sealed class SharedServer : IDisposable
{
    public UniLinkServer Instance { get; } = new();
    public void Dispose() => Instance.Dispose();
}
