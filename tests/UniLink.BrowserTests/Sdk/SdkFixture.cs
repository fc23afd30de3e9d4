using UniLink.BrowserTests.Infrastructure;
using UniLink.Tests.Infrastructure;

namespace UniLink.BrowserTests.Sdk;

/// <summary>One UniLink, the SDK test app on its own origin, a reference-like host on a third origin, one browser.</summary>
public sealed class SdkFixture : IAsyncLifetime
{
    public UniLinkServer Server { get; private set; } = null!;
    public TestAppServer Apps { get; private set; } = null!;
    public TestAppServer Host { get; private set; } = null!;
    public BrowserFixture Browser { get; } = new();

    public async Task InitializeAsync()
    {
        Server = new UniLinkServer();
        Apps = await TestAppServer.StartAsync(SdkPages.Map);
        Host = await TestAppServer.StartAsync(SdkPages.Map);
        await Browser.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Apps.DisposeAsync();
        await Host.DisposeAsync();
        Server.Dispose();
    }

    public string UniLinkOrigin => Server.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>The SDK app's URL, importing the SDK from this UniLink.</summary>
    public string AppUrl(string extra = "") => Apps.Url($"/sdk-app?sdk={Uri.EscapeDataString(UniLinkOrigin)}{extra}");
}
