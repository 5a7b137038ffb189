namespace Workforce.Orchestrations.Scheduling;

/// <summary>What a host calls when a job's timer fires.</summary>
public interface IScheduledJobRunner
{
    Task RunAsync(ScheduledJob job, JobFiring firing, CancellationToken cancellationToken = default);
}

/// <summary>
/// One firing of a job's timer: late when the host was down at the due time (a Functions timer's IsPastDue), and
/// when the job last ran, if ever.
/// </summary>
public sealed record JobFiring(bool IsPastDue, DateTime? LastRun);
