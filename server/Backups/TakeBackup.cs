using System.Diagnostics;
using Microsoft.Extensions.Options;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Backups;

/// <summary>
/// Takes a backup of the database while the server serves: a snapshot written under a partial name, flushed, then
/// renamed, so the folder never holds a half backup under a backup's name; then the oldest beyond the kept number go.
/// </summary>
public sealed partial class TakeBackup(SqliteDatabase database, BackupFolder folder, IOptions<BackupOptions> options, TimeProvider clock, ILogger<TakeBackup> logger)
    : IDisposable
{
    // One backup at a time: the scheduled one and one asked for by hand must not write, prune or clean up beside each other.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<BackupFile> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(folder.Path);
            folder.DeletePartials();
            var takenAt = clock.GetUtcNow();
            var name = BackupFile.NameFor(takenAt);
            var path = Path.Combine(folder.Path, name);
            var partial = path + BackupFile.PartialSuffix;
            var started = Stopwatch.GetTimestamp();

            // Off the caller's thread: the copy takes as long as the database is large.
            await Task.Run(() => SqliteBackup.Snapshot(database, partial), CancellationToken.None);
            // A second backup within the same second replaces the first: both are that second's state, the later one more so.
            File.Move(partial, path, overwrite: true);

            var deleted = folder.Prune(options.Value.Keep);
            var backup = BackupFile.From(new FileInfo(path))!;
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogTaken(logger, name, backup.SizeBytes, milliseconds, deleted.Count);
            return backup;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, folder.Path);
            throw;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {Name} taken ({Bytes} bytes in {Milliseconds:F0} ms); {Deleted} old backups deleted")]
    private static partial void LogTaken(ILogger logger, string name, long bytes, double milliseconds, int deleted);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup into {Directory} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string directory);
}
