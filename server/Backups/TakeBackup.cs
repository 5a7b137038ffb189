using System.Diagnostics;
using Microsoft.Extensions.Options;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Backups;

/// <summary>
/// Takes a backup while the server serves: a snapshot of the database into the data directory, then the archive of it
/// and the files beside it streamed into the destination, which shows it under its name only once complete; then the
/// backups beyond the retention go.
/// </summary>
public sealed partial class TakeBackup(
    SqliteDatabase database, IBackupDestination destination, IOptions<BackupOptions> options, IOptions<SqliteStorageOptions> storage,
    TimeProvider clock, ILogger<TakeBackup> logger) : IDisposable
{
    /// <summary>Where the snapshot is written before it is archived, in the data directory; never archived itself.</summary>
    public const string SnapshotName = "backup-snapshot.db" + BackupFile.PartialSuffix;

    // One backup at a time: the scheduled one and one asked for by hand must not write, prune or clean up beside each other.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<BackupFile> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        var snapshot = Path.Combine(storage.Value.DataDirectory, SnapshotName);
        try
        {
            var takenAt = clock.GetUtcNow();
            var name = BackupFile.NameFor(takenAt);
            var started = Stopwatch.GetTimestamp();
            File.Delete(snapshot); // left by a crash during an earlier backup

            // Off the caller's thread: the copy takes as long as the database is large.
            await Task.Run(() => SqliteBackup.Snapshot(database, snapshot), CancellationToken.None);
            string[] excluded = destination is BackupFolder folder ? [folder.Location, snapshot] : [snapshot];
            var files = 0;
            var backup = await destination.WriteAsync(name, async (output, ct) =>
                files = (await BackupArchive.WriteAsync(output, snapshot, storage.Value, takenAt, excluded, ct)).Entries.Count - 1, cancellationToken);

            var expired = BackupRetention.Expired(await destination.ListAsync(cancellationToken), options.Value, clock.GetUtcNow());
            foreach (var old in expired)
            {
                await destination.DeleteAsync(old.Name, cancellationToken);
            }

            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogTaken(logger, name, destination.Location, files, backup.SizeBytes, milliseconds, expired.Count);
            return backup;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, destination.Location);
            throw;
        }
        finally
        {
            File.Delete(snapshot);
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {Name} taken into {Location} (the database and {Files} files, {Bytes} bytes in {Milliseconds:F0} ms); {Deleted} old backups deleted")]
    private static partial void LogTaken(ILogger logger, string name, string location, int files, long bytes, double milliseconds, int deleted);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup into {Location} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string location);
}
