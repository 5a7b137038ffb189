using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Durable.Runtime;
using Workforce.Storage.Sqlite;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace Workforce.Bench;

/// <summary>
/// The embedded durable engine in this process, on its own SQLite file with the shipped durability
/// (synchronous=FULL) and engine defaults: the standard shapes by which durable engines are compared. Closed loop:
/// <see cref="BenchOptions.Concurrency"/> starters each schedule an orchestration and wait for it to complete, and
/// what completes inside the measured window counts, from schedule to completion.
/// </summary>
internal sealed class DurableScenarios(BenchOptions options)
{
    private static readonly string[] Cities = ["Tokyo", "Seattle", "London", "Cairo", "Lima"];

    public Task<ScenarioResult> HelloCitiesAsync() =>
        RunAsync("hello", nameof(HelloCities5), input: null, "HelloCities5", "orchestrations, 5 sequential echo activities each");

    public Task<ScenarioResult> FanOutAsync() =>
        RunAsync("fanout", nameof(FanOutFanIn), input: 100, "Fan-out/fan-in 100", "orchestrations, 100 parallel echo activities each");

    private async Task<ScenarioResult> RunAsync(string name, string orchestrator, object? input, string scenario, string measure)
    {
        var storage = new SqliteStorageOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "workforce-bench", Guid.NewGuid().ToString("N")) };
        var engineOptions = new DurableEngineOptions();
        var database = SqliteDatabase.Open(storage);
        var registry = new DurableTaskRegistry()
            .AddOrchestrator<HelloCities5>(nameof(HelloCities5))
            .AddOrchestrator<FanOutFanIn>(nameof(FanOutFanIn))
            .AddActivity<Echo>(nameof(Echo));
        var engine = new DurableEngine(database, registry, EmptyServices.Instance, engineOptions, TimeProvider.System, NullLoggerFactory.Instance);
        var client = engine.Client;
        try
        {
            await engine.StartAsync(CancellationToken.None);
            var latencies = new Latencies();
            var window = new Window(options.Warmup, options.Duration);
            var completed = 0L;
            using (Window.Progress(name, () => Interlocked.Read(ref completed), window))
            {
                await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
                {
                    while (!window.IsOver)
                    {
                        var started = Stopwatch.GetTimestamp();
                        var id = await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input);
                        var done = await client.WaitForInstanceCompletionAsync(id);
                        var finished = Stopwatch.GetTimestamp();
                        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
                        {
                            throw new InvalidOperationException($"{id} ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
                        }

                        if (window.Contains(started, finished))
                        {
                            Interlocked.Increment(ref completed);
                            latencies.Add(Stopwatch.GetElapsedTime(started, finished));
                        }
                    }
                })));
            }

            return new(scenario, measure, completed / options.Duration.TotalSeconds, latencies.Percentile(50), latencies.Percentile(99),
                $"{options.Concurrency} in flight; {engineOptions.MaxConcurrentOrchestrations} episodes, {engineOptions.MaxConcurrentActivities} activities at once");
        }
        finally
        {
            await engine.DisposeAsync();
            database.Dispose();
            Directory.Delete(storage.DataDirectory, recursive: true);
        }
    }

    private sealed class Echo : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input);
    }

    private sealed class HelloCities5 : TaskOrchestrator<object?, string[]>
    {
        public override async Task<string[]> RunAsync(TaskOrchestrationContext context, object? input)
        {
            var greetings = new string[Cities.Length];
            for (var i = 0; i < Cities.Length; i++)
            {
                greetings[i] = await context.CallActivityAsync<string>(nameof(Echo), $"Hello {Cities[i]}!");
            }

            return greetings;
        }
    }

    private sealed class FanOutFanIn : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int count)
        {
            var echoes = await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<string>(nameof(Echo), $"item {i}")));
            return echoes.Length;
        }
    }

    /// <summary>The echo activity needs nothing, so the engine gets no services.</summary>
    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
