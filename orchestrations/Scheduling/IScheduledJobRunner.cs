using Workforce.Orchestrations.Durable;

namespace Workforce.Orchestrations.Scheduling;

/// <summary>What a host calls when a job's timer fires.</summary>
public interface IScheduledJobRunner
{
    Task RunAsync(ScheduledJob job, TimerInfo timer, CancellationToken cancellationToken = default);
}
