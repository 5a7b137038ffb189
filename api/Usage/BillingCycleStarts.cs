using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Workforce.Orchestrations.BillingCycle;

namespace Workforce.Api.Usage;

/// <summary>
/// Makes sure a tenant that calls the API has its billing cycle, once per process: tenants get theirs when they are
/// created, but those created before billing cycles existed get theirs at their first call after an upgrade. A start
/// that fails is tried again at the tenant's next call; the call itself goes on.
/// </summary>
public sealed partial class BillingCycleStarts(ILogger<BillingCycleStarts> logger)
{
    private readonly ConcurrentDictionary<string, bool> _started = new(StringComparer.Ordinal);

    public async ValueTask EnsureAsync(string tenantId, StartBillingCycle start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (!_started.TryAdd(tenantId, true))
        {
            return;
        }

        try
        {
            await start.ExecuteAsync(tenantId, CancellationToken.None);
        }
        catch (Exception e)
        {
            _started.TryRemove(tenantId, out _);
            LogStartFailed(logger, e, tenantId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start the billing cycle of tenant {TenantId}; trying again at its next call")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string tenantId);
}
