using System.Globalization;
using System.Text.RegularExpressions;

namespace Workforce.Server.Backups;

/// <summary>One backup in the folder, named for the second it was taken: <c>workforce-YYYYMMDDTHHMMSSZ.db</c>.</summary>
public sealed partial record BackupFile(string Name, DateTimeOffset TakenAt, long SizeBytes)
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The suffix of a backup being written; only a complete one gets its final name.</summary>
    public const string PartialSuffix = ".partial";

    public static string NameFor(DateTimeOffset takenAt) =>
        "workforce-" + takenAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + ".db";

    /// <summary>The backup a file is, or null for any other file (a partial one included).</summary>
    public static BackupFile? From(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var match = NamePattern().Match(file.Name);
        return match.Success && DateTimeOffset.TryParseExact(match.Groups["at"].Value, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var takenAt)
            ? new BackupFile(file.Name, takenAt, file.Length)
            : null;
    }

    [GeneratedRegex(@"^workforce-(?<at>\d{8}T\d{6}Z)\.db$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
