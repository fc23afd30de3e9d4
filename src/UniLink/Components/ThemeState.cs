namespace UniLink.Components;

/// <summary>The signed-in agent's theme within one dashboard circuit; pages (and their apps) follow its changes.</summary>
public sealed class ThemeState
{
    public string Theme { get; private set; } = "light";
    public event Func<string, Task>? Changed;

    public void Initialise(string theme) => Theme = theme == "dark" ? "dark" : "light";

    public async Task SetAsync(string theme)
    {
        Initialise(theme);
        if (Changed is { } handlers)
            foreach (var handler in handlers.GetInvocationList().Cast<Func<string, Task>>()) await handler(Theme);
    }
}
