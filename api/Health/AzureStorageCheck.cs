using Microsoft.Extensions.Diagnostics.HealthChecks;
using Workforce.Core.Tenants;

namespace Workforce.Api.Health;

/// <summary>
/// The storage account answers: one point read of the tenant table through the directory, which caches nothing
/// (a missing row is an answer). A lost network, a revoked credential or a deleted table fail it. Both hosts run it
/// with the Azure provider: the server as <c>azureStorage</c> beside its own checks, the Functions app alone.
/// </summary>
public sealed class AzureStorageCheck(ITenantDirectory tenants) : IHealthCheck
{
    private const string ProbeTenant = "health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await tenants.FindTenantAsync(ProbeTenant, cancellationToken);
            return HealthCheckResult.Healthy("the storage account answers");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // StorageUnavailableException (no network, a timeout) or the SDK's RequestFailedException (a refused
            // credential, a missing table): this project does not see the SDK's types, and any failure is an answer.
            return HealthCheckResult.Unhealthy($"the storage account does not answer: {e.Message}");
        }
    }
}
