using Microsoft.Extensions.Options;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Backups;

/// <summary>
/// Backups in a folder: each written as <c>NAME.partial</c>, flushed to disk and renamed, so a file under a backup's
/// name is always complete; partial files a crash left behind are deleted before the next backup is written.
/// </summary>
public sealed class BackupFolder(string path) : IBackupDestination
{
    public BackupFolder(IOptions<BackupOptions> options, IOptions<SqliteStorageOptions> storage)
        : this(options.Value.Directory is { Length: > 0 } directory ? directory : System.IO.Path.Combine(storage.Value.DataDirectory, "backups"))
    {
    }

    public string Kind => BackupOptions.Folder;

    public string Location { get; } = Path.GetFullPath(path);

    public Task<IReadOnlyList<BackupFile>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<BackupFile>>(Directory.Exists(Location)
            ? [.. new DirectoryInfo(Location).EnumerateFiles("workforce-*").Select(f => BackupFile.From(f.Name, f.Length)).OfType<BackupFile>().OrderByDescending(b => b.TakenAt)]
            : []);

    public async Task<BackupFile> WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        Directory.CreateDirectory(Location);
        foreach (var stale in Directory.EnumerateFiles(Location, "*" + BackupFile.PartialSuffix))
        {
            File.Delete(stale);
        }

        var path = Path.Combine(Location, name);
        var partial = path + BackupFile.PartialSuffix;
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(file, cancellationToken);
                // A backup that a power cut can take away is no backup.
                file.Flush(flushToDisk: true);
            }

            // A second backup within the same second replaces the first: both are that second's state, the later one more so.
            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        return BackupFile.From(name, new FileInfo(path).Length)!;
    }

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(Path.Combine(Location, name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));

    public Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        File.Delete(Path.Combine(Location, name));
        return Task.CompletedTask;
    }
}
