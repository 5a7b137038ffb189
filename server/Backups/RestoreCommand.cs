using Workforce.Storage.Sqlite;

namespace Workforce.Server.Backups;

/// <summary>
/// <c>restore --from FILE [--data-dir DIR] [--force]</c>: puts a backup in place as the database of a data directory,
/// for the server to start on. Run it with the server stopped.
/// </summary>
internal static class RestoreCommand
{
    public const string Name = "restore";

    private const string Usage = """
        Usage: Workforce.Server restore --from <backup.db> [--data-dir <dir>] [--force]

        Restores a backup taken by the server (POST /api/v1/admin/backups or the scheduled backup) as the
        database of a data directory. Stop the server first; start it on the directory afterwards.

          --from <file>     The backup, e.g. backups/workforce-20260101T030000Z.db. Checked with
                            PRAGMA integrity_check before anything is changed.
          --data-dir <dir>  The data directory to restore into. Default: the server's own
                            (WORKFORCE_DATA_DIR or Workforce__Storage__Sqlite__DataDirectory, else .workforce).
          --force           Replace the database of a data directory that is not empty. Other files in it
                            (uploaded files, keys, backups) are left as they are.
          -h, --help        Show this help.
        """;

    /// <returns>0 when restored, 1 when refused or failed, 2 on a usage mistake.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, SqliteStorageOptions storage, TextWriter output, TextWriter error)
    {
        string? from = null;
        string? dataDirectory = null;
        var force = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    await output.WriteLineAsync(Usage);
                    return 0;
                case "--force":
                    force = true;
                    break;
                case "--from" when i + 1 < args.Count:
                    from = args[++i];
                    break;
                case "--data-dir" when i + 1 < args.Count:
                    dataDirectory = args[++i];
                    break;
                default:
                    await error.WriteLineAsync($"restore: unexpected argument '{args[i]}'.\n\n{Usage}");
                    return 2;
            }
        }

        if (from is null)
        {
            await error.WriteLineAsync($"restore: --from is required.\n\n{Usage}");
            return 2;
        }

        var target = new SqliteStorageOptions { DataDirectory = dataDirectory ?? storage.DataDirectory, FileName = storage.FileName };
        var directory = Path.GetFullPath(target.DataDirectory);
        if (SqliteBackup.Check(Path.GetFullPath(from)) is { } problem)
        {
            await error.WriteLineAsync($"Refusing to restore: {problem}");
            return 1;
        }

        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).FirstOrDefault() is { } entry && !force)
        {
            await error.WriteLineAsync(
                $"Refusing to restore into {directory}: the directory is not empty (it holds {Path.GetFileName(entry)}, for one). " +
                "Restore into an empty or new directory, or stop the server that uses it and pass --force to replace its database.");
            return 1;
        }

        try
        {
            Directory.CreateDirectory(directory);
            var database = target.DatabasePath;
            var copy = database + ".restoring";
            await using (var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read))
            await using (var destination = new FileStream(copy, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await source.CopyToAsync(destination);
                destination.Flush(flushToDisk: true);
            }

            // The replaced database's write-ahead log would be replayed onto the restored file and corrupt it.
            File.Delete(database + "-wal");
            File.Delete(database + "-shm");
            File.Move(copy, database, overwrite: true);
            await output.WriteLineAsync($"Restored {Path.GetFullPath(from)} into {database}. Start the server with WORKFORCE_DATA_DIR={directory}.");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"The restore failed: {e.Message}");
            return 1;
        }
    }
}
