namespace Workforce.Server.Backups;

/// <summary>Where backups are kept: a folder (<see cref="BackupFolder"/>) or a Blob Storage container (<see cref="BackupContainer"/>).</summary>
public interface IBackupDestination
{
    /// <summary><c>folder</c> or <c>blob</c>.</summary>
    string Kind { get; }

    /// <summary>The folder's full path or the container's URL (never a key).</summary>
    string Location { get; }

    /// <summary>The complete backups, newest first; partial ones and anything else there are not listed.</summary>
    Task<IReadOnlyList<BackupFile>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a backup under <paramref name="name"/> from what <paramref name="write"/> writes, streamed as it is
    /// written. The backup appears under its name only once complete: a failure or a crash leaves no backup by that name.
    /// </summary>
    Task<BackupFile> WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default);

    /// <summary>The backup's content, read as it arrives.</summary>
    /// <exception cref="FileNotFoundException">There is no backup by that name.</exception>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default);

    Task DeleteAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>Which backups go after a new one: beyond the newest <c>Keep</c>, or older than <c>KeepDays</c>; never the newest.</summary>
public static class BackupRetention
{
    public static IReadOnlyList<BackupFile> Expired(IReadOnlyList<BackupFile> newestFirst, BackupOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        ArgumentNullException.ThrowIfNull(options);
        var cutoff = options.KeepDays > 0 ? now - TimeSpan.FromDays(options.KeepDays) : DateTimeOffset.MinValue;
        return [.. newestFirst.Skip(1).Where((backup, index) => index + 1 >= options.Keep || backup.TakenAt < cutoff)];
    }
}
