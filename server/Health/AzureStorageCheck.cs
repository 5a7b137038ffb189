using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Server.Health;

/// <summary>
/// The storage account answers: one point read of the tenant table through the directory, which caches nothing
/// (a missing row is an answer). A lost network, a revoked credential or a deleted table fail it.
/// </summary>
internal sealed class AzureStorageCheck(ITenantDirectory tenants) : IHealthCheck
{
    private const string ProbeTenant = "health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await tenants.FindTenantAsync(ProbeTenant, cancellationToken);
            return HealthCheckResult.Healthy("the storage account answers");
        }
        catch (Exception e) when (e is StorageUnavailableException or Azure.RequestFailedException)
        {
            return HealthCheckResult.Unhealthy($"the storage account does not answer: {e.Message}");
        }
    }
}
