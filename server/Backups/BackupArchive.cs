using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Backups;

/// <summary>
/// A backup as one gzip-compressed tar archive: the database snapshot under its file name, then every file the server
/// keeps beside it in the data directory (the local blob store's <c>files/</c> and <c>file-types/</c> — reports, invoice
/// PDFs, uploads — and key files such as <c>download-links.key</c> and <c>realtime-token.key</c>), then
/// <see cref="ManifestName"/>, which lists them all. The manifest comes last, so an archive cut short has none and is refused.
/// </summary>
public static class BackupArchive
{
    public const string ManifestName = "workforce-backup.json";

    public const int FormatVersion = 1;

    /// <summary>Folders of the data directory that are never part of a backup: uploads still being written.</summary>
    private static readonly string[] SkippedFolders = ["file-uploads"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Writes the archive of <paramref name="snapshot"/> (a copy of the database) and the data directory's other files.
    /// The files are read after the snapshot was taken: each file the snapshot refers to is there unless it was deleted
    /// since; a file written since may be there too, without a record pointing at it.
    /// </summary>
    /// <param name="excluded">Full paths not to archive: the backup folder, the snapshot, when they are inside the data directory.</param>
    public static async Task<BackupManifest> WriteAsync(
        Stream output, string snapshot, SqliteStorageOptions storage, DateTimeOffset takenAt, IReadOnlyCollection<string> excluded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var entries = new List<BackupEntry>();
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(snapshot, storage.FileName, cancellationToken);
            entries.Add(new BackupEntry(storage.FileName, new FileInfo(snapshot).Length));
            var dataDirectory = Path.GetFullPath(storage.DataDirectory);
            foreach (var file in DataFiles(dataDirectory, storage, excluded))
            {
                var name = Path.GetRelativePath(dataDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
                try
                {
                    var length = new FileInfo(file).Length;
                    await tar.WriteEntryAsync(file, name, cancellationToken);
                    entries.Add(new BackupEntry(name, length));
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    // Deleted between listing and reading: it is not part of the state any more.
                }
            }

            var manifest = new BackupManifest(FormatVersion, takenAt, storage.FileName, entries);
            var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, Json));
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, ManifestName) { DataStream = content, ModificationTime = takenAt }, cancellationToken);
            return manifest;
        }
    }

    /// <summary>
    /// Unpacks an archive into <paramref name="directory"/> (created, expected empty) and checks it against its manifest.
    /// Entry names that would leave the directory are refused by the tar reader.
    /// </summary>
    /// <returns>The manifest, or the reason the archive is not a complete backup.</returns>
    public static async Task<(BackupManifest? Manifest, string? Problem)> ExtractAsync(Stream input, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        try
        {
            await using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
            await TarFile.ExtractToDirectoryAsync(gzip, directory, overwriteFiles: false, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException)
        {
            return (null, $"the archive cannot be read to its end ({e.Message}).");
        }

        var manifestPath = Path.Combine(directory, ManifestName);
        if (!File.Exists(manifestPath))
        {
            return (null, $"the archive has no {ManifestName}: it is incomplete or not a Workforce backup.");
        }

        var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllBytesAsync(manifestPath, cancellationToken), Json);
        if (manifest is null || manifest.Version > FormatVersion)
        {
            return (null, $"{ManifestName} is of a backup format this build does not know (version {manifest?.Version}).");
        }

        var missing = manifest.Entries.Where(e => new FileInfo(Path.Combine(directory, e.Name)) is not { Exists: true } file || file.Length != e.SizeBytes).ToList();
        return missing.Count == 0
            ? (manifest, null)
            : (null, $"{missing.Count} files of the manifest are missing or of another size, e.g. {missing[0].Name}.");
    }

    private static IEnumerable<string> DataFiles(string dataDirectory, SqliteStorageOptions storage, IReadOnlyCollection<string> excluded)
    {
        if (!Directory.Exists(dataDirectory))
        {
            yield break;
        }

        var database = storage.DatabasePath;
        var skipped = SkippedFolders.Select(f => Path.Combine(dataDirectory, f)).Concat(excluded).Select(Path.GetFullPath).ToList();
        var pending = new Stack<string>([dataDirectory]);
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
            {
                var path = entry.FullName;
                if (skipped.Any(s => string.Equals(s, path, StringComparison.Ordinal)) || entry.LinkTarget is not null)
                {
                    continue;
                }

                if (entry is DirectoryInfo)
                {
                    pending.Push(path);
                }
                else if (!path.StartsWith(database, StringComparison.Ordinal) && !path.EndsWith(BackupFile.PartialSuffix, StringComparison.Ordinal))
                {
                    // Not the live database nor its -wal, -shm and -journal: the snapshot stands for them.
                    yield return path;
                }
            }
        }
    }
}

/// <summary>What a backup archive holds: the database file's name and every file with its size, paths relative to the data directory.</summary>
public sealed record BackupManifest(int Version, DateTimeOffset TakenAt, string Database, IReadOnlyList<BackupEntry> Entries);

public sealed record BackupEntry(string Name, long SizeBytes);
