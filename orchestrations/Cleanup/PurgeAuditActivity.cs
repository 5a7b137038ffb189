using Microsoft.DurableTask;
using Workforce.Core.Audit;

namespace Workforce.Orchestrations.Cleanup;

/// <summary>Deletes a batch of audit entries past their retention (90 days by default), of every tenant and the platform.</summary>
public sealed class PurgeAuditActivity(IAuditLog log, AuditOptions options, TimeProvider clock) : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) =>
        log.PurgeAsync(clock.GetUtcNow() - options.Retention, input);
}
