using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Security;

/// <summary>The data folder and the database are the user's alone (issue 13, item 12).</summary>
public class DataDirectoryTests
{
    [Fact]
    public void The_data_folder_is_0700_and_the_database_files_0600()
    {
        if (OperatingSystem.IsWindows()) return;
        var dataDir = UniLinkServer.NewDataDir();
        // As an older UniLink (or a umask of 022) left it: open to every local user.
        Directory.CreateDirectory(dataDir);
        File.SetUnixFileMode(dataDir, (UnixFileMode)Convert.ToInt32("755", 8));
        using var server = new UniLinkServer(new Dictionary<string, string?> { ["UNILINK_DATA_DIR"] = dataDir });
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(owner, File.GetUnixFileMode(dataDir));
        if (UniLinkServer.OnPostgres) return;
        var database = Path.Combine(dataDir, "unilink.db");
        Assert.True(File.Exists(database));
        foreach (var file in new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }
}
