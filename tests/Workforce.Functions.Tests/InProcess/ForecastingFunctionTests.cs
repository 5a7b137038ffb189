extern alias FunctionsApp;

using System.Net;
using FunctionsApp::Workforce.Functions.Forecasting;
using Microsoft.DurableTask.Client;
using Workforce.Core.Analytics;
using Workforce.Orchestrations.Forecasting;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>Retraining asked for through the app's functions runs as a Durable workflow over the Azure stores.</summary>
public sealed class ForecastingFunctionTests
{
    [Fact]
    public async Task A_retraining_asked_for_puts_a_model_in_service_and_its_forecast_is_served()
    {
        await using var app = await FunctionsApp.StartAsync();
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        var end = AnalyticsRollup.StartOf(RollupResolution.Hour, DateTimeOffset.UtcNow);
        var random = new Random(9);
        var rollups = Enumerable.Range(1, 1_100).Select(back =>
        {
            var at = end.AddHours(-back);
            var values = new RollupValues();
            values.Increment(AnalyticsValues.Submitted, (long)(100 * (1.2 + Math.Sin(2 * Math.PI * at.Hour / 24)) + (random.NextDouble() * 5)));
            return new AnalyticsRollup(AnalyticsSeries.Tasks, RollupResolution.Hour, at, values);
        }).ToList();
        await app.Get<IAnalyticsStore>().ApplyAsync(new AnalyticsBatch(tenant.Id, "seed", rollups, []));

        var asked = await app.HttpAsync<ForecastingFunctions>(nameof(ForecastingFunctions.RetrainModels), FunctionRequest.Post("v1/models/retrain", tenant.Key));
        Assert.Equal(202, asked.Status);

        var run = await app.Engine.WaitForCompletionAsync(RetrainTenantOrchestrator.InstanceId(tenant.Id));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(1, run.ReadOutputAs<int>());
        var forecast = (await app.HttpAsync<ForecastingFunctions>(nameof(ForecastingFunctions.GetForecasts),
            FunctionRequest.Get("v1/forecasts", tenant.Key) with { Query = "series=submissions" })).Expect(HttpStatusCode.OK);
        Assert.Equal(48, forecast["items"]!.AsArray().Single()!["points"]!.AsArray().Count);
    }
}
