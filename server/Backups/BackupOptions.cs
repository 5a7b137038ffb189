using System.ComponentModel.DataAnnotations;
using NCrontab;
using Workforce.Orchestrations.Scheduling;

namespace Workforce.Server.Backups;

/// <summary>Bound from <c>Workforce:Backup</c>: where the database's backups go, how many stay, and when they are taken.</summary>
public sealed class BackupOptions : IValidatableObject
{
    public const string Section = "Workforce:Backup";

    /// <summary>The folder of the backups; when unset, <c>backups</c> under the data directory.</summary>
    public string? Directory { get; set; }

    /// <summary>How many backups are kept: the newest ones; older ones are deleted after each new backup.</summary>
    [Range(1, 10_000)]
    public int Keep { get; set; } = 7;

    /// <summary>When the scheduled backup runs: NCRONTAB with seconds, UTC.</summary>
    [Required]
    public string Schedule { get; set; } = ScheduledJobs.BackupSchedule;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Schedule) && CrontabSchedule.TryParse(Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null)
        {
            yield return new ValidationResult(
                $"'{Schedule}' is not an NCRONTAB schedule with six fields (seconds first), e.g. '0 0 3 * * *' for 03:00 UTC daily.",
                [nameof(Schedule)]);
        }
    }
}
