using System.ComponentModel.DataAnnotations;
using Azure.Storage.Blobs;
using NCrontab;
using Workforce.Orchestrations.Scheduling;

namespace Workforce.Server.Backups;

/// <summary>
/// Bound from <c>Workforce:Backup</c>: where the server's backups go (a folder, or an Azure Blob Storage container),
/// how long they stay, and when they are taken.
/// </summary>
public sealed partial class BackupOptions : IValidatableObject
{
    public const string Section = "Workforce:Backup";

    public const string Folder = "folder";
    public const string Blob = "blob";

    /// <summary><c>folder</c> (<see cref="Directory"/>) or <c>blob</c> (<see cref="Container"/> of an Azure Storage account).</summary>
    [RegularExpression("^(folder|blob)$", ErrorMessage = "Workforce:Backup:Destination must be folder or blob.")]
    public string Destination { get; set; } = Folder;

    /// <summary>The folder of the backups; when unset, <c>backups</c> under the data directory.</summary>
    public string? Directory { get; set; }

    /// <summary>How many backups are kept: the newest ones; older ones are deleted after each new backup.</summary>
    [Range(1, 10_000)]
    public int Keep { get; set; } = 7;

    /// <summary>Backups older than this many days are deleted after each new backup (the newest one never); 0: no age limit.</summary>
    [Range(0, 36_500)]
    public int KeepDays { get; set; }

    /// <summary>When the scheduled backup runs: NCRONTAB with seconds, UTC.</summary>
    [Required]
    public string Schedule { get; set; } = ScheduledJobs.BackupSchedule;

    /// <summary>With <c>blob</c>: a connection string with an account key (<c>UseDevelopmentStorage=true</c> for Azurite).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>With <c>blob</c>: the account's blob endpoint, e.g. <c>https://ACCOUNT.blob.core.windows.net</c>, reached with an Entra ID token.</summary>
    public Uri? AccountUrl { get; set; }

    /// <summary>With <see cref="AccountUrl"/>: the client id of a user-assigned managed identity; unset, <c>DefaultAzureCredential</c> picks one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>With <c>blob</c>: the container of the backups, created on the first backup if missing.</summary>
    public string Container { get; set; } = "workforce-backups";

    public bool IsBlob => string.Equals(Destination, Blob, StringComparison.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Schedule) && CrontabSchedule.TryParse(Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null)
        {
            yield return new ValidationResult(
                $"'{Schedule}' is not an NCRONTAB schedule with six fields (seconds first), e.g. '0 0 3 * * *' for 03:00 UTC daily.",
                [nameof(Schedule)]);
        }

        if (!IsBlob)
        {
            yield break;
        }

        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == (AccountUrl is not null))
        {
            yield return new ValidationResult(
                "With Workforce:Backup:Destination=blob, set either Workforce:Backup:ConnectionString or Workforce:Backup:AccountUrl " +
                "(reached with an Entra ID token), not both and not neither.",
                [nameof(ConnectionString), nameof(AccountUrl)]);
        }
        else if (hasConnectionString && ConnectionStringProblem(ConnectionString!) is { } problem)
        {
            yield return new ValidationResult($"Workforce:Backup:ConnectionString is not a valid Azure Storage connection string: {problem}", [nameof(ConnectionString)]);
        }
        else if (AccountUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http")))
        {
            yield return new ValidationResult($"Workforce:Backup:AccountUrl '{url}' is not an absolute http(s) address.", [nameof(AccountUrl)]);
        }

        if (!ContainerName().IsMatch(Container ?? ""))
        {
            yield return new ValidationResult(
                $"Workforce:Backup:Container '{Container}' is not a container name: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.",
                [nameof(Container)]);
        }
    }

    /// <summary>What the SDK says is wrong with the connection string, never the string itself (it holds the key).</summary>
    private static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            _ = new BlobServiceClient(connectionString);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ContainerName();
}
