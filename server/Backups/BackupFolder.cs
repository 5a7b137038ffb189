using Microsoft.Extensions.Options;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Backups;

/// <summary>The folder the backups are kept in, newest first.</summary>
public sealed class BackupFolder(IOptions<BackupOptions> options, IOptions<SqliteStorageOptions> storage)
{
    public string Path { get; } = System.IO.Path.GetFullPath(
        options.Value.Directory is { Length: > 0 } directory ? directory : System.IO.Path.Combine(storage.Value.DataDirectory, "backups"));

    /// <summary>The complete backups, newest first; partial files and anything else in the folder are not listed.</summary>
    public IReadOnlyList<BackupFile> List() =>
        Directory.Exists(Path)
            ? [.. new DirectoryInfo(Path).EnumerateFiles("workforce-*.db").Select(BackupFile.From).OfType<BackupFile>().OrderByDescending(b => b.TakenAt)]
            : [];

    /// <summary>Deletes all but the newest <paramref name="keep"/> backups.</summary>
    /// <returns>The names of the deleted backups.</returns>
    public IReadOnlyList<string> Prune(int keep)
    {
        var old = List().Skip(keep).Select(b => b.Name).ToList();
        foreach (var name in old)
        {
            File.Delete(System.IO.Path.Combine(Path, name));
        }

        return old;
    }

    /// <summary>Deletes what a backup cut off by a crash left behind; called only while no backup is being written.</summary>
    public void DeletePartials()
    {
        if (Directory.Exists(Path))
        {
            foreach (var partial in Directory.EnumerateFiles(Path, "*" + BackupFile.PartialSuffix))
            {
                File.Delete(partial);
            }
        }
    }
}
