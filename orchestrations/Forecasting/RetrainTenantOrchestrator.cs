using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workforce.Core.Forecasting;

namespace Workforce.Orchestrations.Forecasting;

/// <summary>One tenant's retraining, asked for through the API: its due series, within the run budget.</summary>
public sealed class RetrainTenantOrchestrator : TaskOrchestrator<string, int>
{
    public static string InstanceId(string tenantId) => $"forecast-retraining-{tenantId}";

    public override Task<int> RunAsync(TaskOrchestrationContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallActivityAsync<int>(WorkflowNames.RetrainTenantForecasts, input);
    }
}

public sealed class RetrainTenantForecastsActivity(RetrainTenant retrain, ForecastingOptions options) : TaskActivity<string, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, string input) =>
        (await retrain.ExecuteAsync(input, options.MaxSeriesPerRun)).Count(outcome => outcome.Trained is not null);
}

/// <summary>Starts a tenant's <see cref="RetrainTenantOrchestrator"/>, unless one is going.</summary>
public sealed class StartForecastRetraining(DurableTaskClient orchestrations) : IForecastRetrainer
{
    public Task<bool> StartAsync(string tenantId, CancellationToken cancellationToken = default) =>
        orchestrations.TryStartAsync(WorkflowNames.RetrainTenant, RetrainTenantOrchestrator.InstanceId(tenantId), tenantId, cancellationToken);
}
