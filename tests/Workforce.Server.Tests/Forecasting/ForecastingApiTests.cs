using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Core.Analytics;

namespace Workforce.Server.Tests.Forecasting;

/// <summary>Retraining through the API, on history written into the analytics store as the server's own flushes would have.</summary>
public abstract class ForecastingApiTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task A_retraining_asked_for_trains_the_series_with_history_and_serves_their_forecasts_and_models()
    {
        var (tenantId, client) = await factory.NewTenantWithIdAsync();
        await SeedCompletionsAsync(tenantId, hours: 1_200);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/v1/models/retrain")).StatusCode);

        var forecasts = await EventuallyAsync(client, "/api/v1/forecasts", json => json["items"]!.AsArray().Count > 0);
        var completions = forecasts["items"]!.AsArray().Single(item => item!.Str("series") == "completions")!;
        Assert.Equal(48, completions["points"]!.AsArray().Count);
        var first = completions["points"]!.AsArray()[0]!;
        Assert.True(first["lower"]!.GetValue<double>() <= first["value"]!.GetValue<double>());
        Assert.True(first["value"]!.GetValue<double>() <= first["upper"]!.GetValue<double>());
        var models = await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/models"));
        var series = models["items"]!.AsArray().Single(item => item!.Str("series") == "completions")!;
        Assert.Equal(1, series["inService"]!.GetValue<int>());
        Assert.True(series["versions"]!.AsArray()[0]!["backtest"]!["mase"]!.GetValue<double>() < 1);
        Assert.Equal(4, series["versions"]!.AsArray()[0]!["candidates"]!.AsArray().Count);
        // Series with too little history (submissions here: none at all) are not trained.
        Assert.DoesNotContain(models["items"]!.AsArray(), item => item!.Str("series") == "submissions");

        var rollBack = await client.PostAsync("/api/v1/models/completions/rollback");
        await WorkforceClient.ProblemAsync(rollBack, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Another_tenant_sees_no_forecast_and_a_bad_series_is_a_problem()
    {
        using var other = await factory.NewTenantAsync();

        Assert.Empty((await WorkforceClient.ReadAsync(await other.GetAsync("/api/v1/forecasts")))["items"]!.AsArray());
        await WorkforceClient.ProblemAsync(await other.GetAsync("/api/v1/forecasts?series=completions"), HttpStatusCode.NotFound);
        var problem = await WorkforceClient.ProblemAsync(await other.GetAsync("/api/v1/forecasts?series=latency"), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("series"));
        await WorkforceClient.ProblemAsync(await other.PostAsync("/api/v1/models/completions/rollback"), HttpStatusCode.NotFound);
        Assert.Empty((await WorkforceClient.ReadAsync(await other.GetAsync("/api/v1/anomalies")))["items"]!.AsArray());
        Assert.Empty((await WorkforceClient.ReadAsync(await other.GetAsync("/api/v1/recommendations")))["items"]!.AsArray());
    }

    /// <summary>Hourly completions up to the last whole hour: a daily cycle and a weekend dip, with a little noise.</summary>
    private async Task SeedCompletionsAsync(string tenantId, int hours)
    {
        var random = new Random(5);
        var end = AnalyticsRollup.StartOf(RollupResolution.Hour, DateTimeOffset.UtcNow);
        var rollups = new List<AnalyticsRollup>();
        for (var i = 0; i < hours; i++)
        {
            var at = end.AddHours(i - hours);
            var values = new RollupValues();
            var level = 200 * (1 + (0.5 * Math.Sin(2 * Math.PI * at.Hour / 24)) + (at.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? -0.4 : 0.1));
            values.Increment(AnalyticsValues.Completed, (long)(level + (random.NextDouble() * 10)));
            rollups.Add(new AnalyticsRollup(AnalyticsSeries.Tasks, RollupResolution.Hour, at, values));
        }

        await factory.Services.GetRequiredService<IAnalyticsStore>().ApplyAsync(new AnalyticsBatch(tenantId, "seed", rollups, []));
    }

    private static async Task<JsonObject> EventuallyAsync(WorkforceClient client, string path, Func<JsonObject, bool> shows)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var json = await WorkforceClient.ReadAsync(await client.GetAsync(path));
            if (shows(json) || DateTime.UtcNow > deadline)
            {
                Assert.True(shows(json), json.ToJsonString());
                return json;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}

public sealed class SqliteForecastingApiTests(WorkforceApiFactory factory) : ForecastingApiTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteForecastingApiTests(AzuriteApiFactory factory) : ForecastingApiTests(factory), IClassFixture<AzuriteApiFactory>;
