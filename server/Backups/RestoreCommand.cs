using System.ComponentModel.DataAnnotations;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Backups;

/// <summary>
/// <c>restore (--from FILE | --blob NAME) [--data-dir DIR] [--force]</c>: puts a backup in place as the database and
/// files of a data directory, for the server to start on. Run it with the server stopped.
/// </summary>
internal static class RestoreCommand
{
    public const string Name = "restore";

    private const string StagingFolder = ".restoring";

    private const string Usage = """
        Usage: Workforce.Server restore (--from <backup> | --blob <name>) [--data-dir <dir>] [--force]

        Restores a backup taken by the server (POST /api/v1/admin/backups or the scheduled backup) into a data
        directory: the database and the files kept beside it (stored files, key files). Stop the server first;
        start it on the directory afterwards.

          --from <file>     The backup, e.g. backups/workforce-20260101T030000Z.tar.gz (or a .db backup of an
                            earlier version: the database alone).
          --blob <name>     A backup in the Blob Storage container of the server's backup settings
                            (Workforce__Backup__ConnectionString or __AccountUrl, __Container), downloaded.
          --data-dir <dir>  The data directory to restore into. Default: the server's own
                            (WORKFORCE_DATA_DIR or Workforce__Storage__Sqlite__DataDirectory, else .workforce).
          --force           Restore into a data directory that is not empty: its database, the folders and
                            files the backup holds are replaced. Other files in it are left as they are.
          -h, --help        Show this help.

        The archive is checked against its manifest and the database with PRAGMA integrity_check before
        anything in the data directory is changed.
        """;

    /// <returns>0 when restored, 1 when refused or failed, 2 on a usage mistake.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, SqliteStorageOptions storage, BackupOptions backups, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? from = null;
        string? blob = null;
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
                case "--blob" when i + 1 < args.Count:
                    blob = args[++i];
                    break;
                case "--data-dir" when i + 1 < args.Count:
                    dataDirectory = args[++i];
                    break;
                default:
                    await error.WriteLineAsync($"restore: unexpected argument '{args[i]}'.\n\n{Usage}");
                    return 2;
            }
        }

        if ((from is null) == (blob is null))
        {
            await error.WriteLineAsync($"restore: --from is required (or --blob, not both).\n\n{Usage}");
            return 2;
        }

        if (blob is not null && BlobSettingsProblem(backups) is { } settings)
        {
            await error.WriteLineAsync($"restore: --blob needs the server's Blob Storage backup settings: {settings}");
            return 2;
        }

        var target = new SqliteStorageOptions { DataDirectory = dataDirectory ?? storage.DataDirectory, FileName = storage.FileName };
        var directory = Path.GetFullPath(target.DataDirectory);
        var source = from is not null ? Path.GetFullPath(from) : $"{blob} in {BackupContainer.From(backups).Location}";
        if (from is not null && !File.Exists(source))
        {
            await error.WriteLineAsync($"Refusing to restore: {source} does not exist.");
            return 1;
        }

        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).FirstOrDefault() is { } entry && !force)
        {
            await error.WriteLineAsync(
                $"Refusing to restore into {directory}: the directory is not empty (it holds {Path.GetFileName(entry)}, for one). " +
                "Restore into an empty or new directory, or stop the server that uses it and pass --force to replace its database and files.");
            return 1;
        }

        var staging = Path.Combine(directory, StagingFolder);
        try
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true); // left by a restore cut short
            }

            Directory.CreateDirectory(staging);
            await using (var content = from is not null
                ? new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true)
                : await BackupContainer.From(backups).OpenReadAsync(blob!))
            {
                if (await StageAsync(content, from ?? blob!, staging, target.FileName) is { } problem)
                {
                    await error.WriteLineAsync($"Refusing to restore: {source}: {problem}");
                    return 1;
                }
            }

            var files = PutInPlace(staging, directory, target);
            await output.WriteLineAsync($"Restored {source} into {directory} (the database and {files} files). Start the server with WORKFORCE_DATA_DIR={directory}.");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Azure.RequestFailedException)
        {
            await error.WriteLineAsync($"The restore failed: {e.Message}");
            return 1;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Unpacks the backup into the staging folder and checks it; a <c>.db</c> backup is the database alone.</summary>
    /// <returns>Why the backup is refused, or null.</returns>
    private static async Task<string?> StageAsync(Stream content, string name, string staging, string databaseName)
    {
        var database = Path.Combine(staging, databaseName);
        if (name.EndsWith(".db", StringComparison.OrdinalIgnoreCase))
        {
            await using var copy = new FileStream(database, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await content.CopyToAsync(copy);
        }
        else
        {
            var (manifest, problem) = await BackupArchive.ExtractAsync(content, staging, CancellationToken.None);
            if (problem is not null)
            {
                return problem;
            }

            File.Delete(Path.Combine(staging, BackupArchive.ManifestName));
            if (!string.Equals(manifest!.Database, databaseName, StringComparison.Ordinal))
            {
                File.Move(Path.Combine(staging, manifest.Database), database);
            }
        }

        if (SqliteBackup.Check(database) is { } damaged)
        {
            return damaged;
        }

        // Written through the page cache: flushed before it replaces anything, as a backup that a power cut can take away is no backup.
        await using (var file = new FileStream(database, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            file.Flush(flushToDisk: true);
        }

        return null;
    }

    /// <summary>Moves what was staged into the data directory: the files and folders first, the database last.</summary>
    /// <returns>How many files besides the database were restored.</returns>
    private static int PutInPlace(string staging, string directory, SqliteStorageOptions target)
    {
        var files = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Count() - 1;
        foreach (var entry in new DirectoryInfo(staging).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(directory, entry.Name);
            if (entry is DirectoryInfo folder)
            {
                // Replaced as a whole: files stored after the backup would have no record pointing at them.
                if (Directory.Exists(destination))
                {
                    Directory.Delete(destination, recursive: true);
                }

                folder.MoveTo(destination);
            }
            else if (!string.Equals(entry.Name, target.FileName, StringComparison.Ordinal))
            {
                File.Move(entry.FullName, destination, overwrite: true);
            }
        }

        // The replaced database's write-ahead log would be replayed onto the restored file and corrupt it.
        File.Delete(target.DatabasePath + "-wal");
        File.Delete(target.DatabasePath + "-shm");
        File.Move(Path.Combine(staging, target.FileName), target.DatabasePath, overwrite: true);
        return files;
    }

    private static string? BlobSettingsProblem(BackupOptions backups)
    {
        if (!backups.IsBlob)
        {
            return "set Workforce__Backup__Destination=blob.";
        }

        var problems = new List<ValidationResult>();
        return Validator.TryValidateObject(backups, new ValidationContext(backups), problems, validateAllProperties: true)
            ? null
            : string.Join(" ", problems.Select(p => p.ErrorMessage));
    }
}
