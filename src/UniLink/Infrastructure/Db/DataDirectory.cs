namespace UniLink.Infrastructure.Db;

/// <summary>
/// The data folder holds the database, the keys that sign sessions and the sample app's data: only the user UniLink
/// runs as may read it (0700, files 0600), whatever the umask, also when an older UniLink created it open.
/// </summary>
public static class DataDirectory
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, Folder);
        System.IO.File.SetUnixFileMode(path, Folder);
    }

    /// <summary>The database file and its WAL and shared-memory files, as far as they exist.</summary>
    public static void KeepPrivate(string databaseFile)
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var path in new[] { databaseFile, databaseFile + "-wal", databaseFile + "-shm" })
            if (System.IO.File.Exists(path)) System.IO.File.SetUnixFileMode(path, File);
    }
}
