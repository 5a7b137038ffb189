using System.Globalization;
using System.Text.RegularExpressions;

namespace Workforce.Server.Backups;

/// <summary>
/// One backup, named for the second it was taken: <c>workforce-YYYYMMDDTHHMMSSZ.tar.gz</c>, an archive of the database
/// and the files beside it (<see cref="BackupArchive"/>). Backups of earlier versions, the database alone as
/// <c>workforce-YYYYMMDDTHHMMSSZ.db</c>, are listed, pruned and restored too.
/// </summary>
public sealed partial record BackupFile(string Name, DateTimeOffset TakenAt, long SizeBytes)
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The suffix of a backup being written to a folder; only a complete one gets its final name.</summary>
    public const string PartialSuffix = ".partial";

    public const string ArchiveExtension = ".tar.gz";

    public static string NameFor(DateTimeOffset takenAt) =>
        "workforce-" + takenAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + ArchiveExtension;

    /// <summary>The backup a file or blob is, or null for anything else (a partial one included).</summary>
    public static BackupFile? From(string name, long sizeBytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = NamePattern().Match(name);
        return match.Success && DateTimeOffset.TryParseExact(match.Groups["at"].Value, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var takenAt)
            ? new BackupFile(name, takenAt, sizeBytes)
            : null;
    }

    [GeneratedRegex(@"^workforce-(?<at>\d{8}T\d{6}Z)(\.db|\.tar\.gz)$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
