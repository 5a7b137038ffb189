namespace Workforce.Core.Forecasting;

/// <summary>Starts a tenant's retraining as a workflow; a run already going is not started twice.</summary>
public interface IForecastRetrainer
{
    /// <returns>False when the tenant's retraining is already running.</returns>
    Task<bool> StartAsync(string tenantId, CancellationToken cancellationToken = default);
}

/// <summary>Retrains the tenant's series now, rather than at the next hourly run (POST /api/v1/models/retrain).</summary>
public sealed class RequestRetraining(IForecastRetrainer retrainer)
{
    public async Task<Outcome<bool>> ExecuteAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAgent ? Failures.AgentKeyNotAllowed : await retrainer.StartAsync(caller.TenantId, cancellationToken);
    }
}
