// The benchmark's baseline: a bare Kestrel endpoint answering the same bytes UniLink answered, with no
// database, auth or serialisation. Usage: Baseline <url> <path>=<file> [<path>=<file> …]
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(args[0]);
var app = builder.Build();
foreach (var mapping in args.Skip(1))
{
    var (path, file) = (mapping[..mapping.IndexOf('=')], mapping[(mapping.IndexOf('=') + 1)..]);
    var bytes = File.ReadAllBytes(file);
    app.MapGet(path, () => Results.Bytes(bytes, "application/json; charset=utf-8"));
}
app.Run();
