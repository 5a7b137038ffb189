using System.Collections.Concurrent;
using Microsoft.DurableTask;

namespace Workforce.Durable.Tests;

/// <summary>Small orchestrators and activities, each exercising one capability of an engine.</summary>
internal static class TestWorkflows
{
    public static ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> Attempts { get; } = new();

    public static ConcurrentDictionary<string, int> BlockRuns { get; } = new();

    public static ConcurrentQueue<(string InstanceId, bool IsReplaying, Guid Guid, DateTime Time)> Observed { get; } = [];

    public static bool ChangedCode { get; set; }

    public static TaskCompletionSource Release { get; set; } = new();

    /// <summary>The most squares that ran at once for each fan-out instance.</summary>
    public static ConcurrentDictionary<string, int> MaxParallelSquares { get; } = new();

    private static readonly ConcurrentDictionary<string, int> RunningSquares = new();

    public static void Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<string[], string>("Sequence", async (context, cities) =>
        {
            var greetings = new List<string>();
            foreach (var city in cities)
            {
                greetings.Add(await context.CallActivityAsync<string>("SayHello", city));
            }

            return string.Join(" ", greetings);
        });
        registry.AddOrchestratorFunc<int, int>("FanOut", async (context, count) =>
            (await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<int>("Square", new SquareInput(context.InstanceId, i))))).Sum());
        registry.AddOrchestratorFunc<int, double>("Sleep", async (context, seconds) =>
        {
            var before = context.CurrentUtcDateTime;
            await context.CreateTimer(TimeSpan.FromSeconds(seconds), CancellationToken.None);
            return (context.CurrentUtcDateTime - before).TotalSeconds;
        });
        registry.AddOrchestratorFunc<string, string>("AwaitApproval", (context, _) => context.WaitForExternalEvent<string>("Approval"));
        registry.AddOrchestratorFunc<int, string>("NapThenAwait", async (context, seconds) =>
        {
            await context.CreateTimer(TimeSpan.FromSeconds(seconds), CancellationToken.None);
            return await context.WaitForExternalEvent<string>("Approval");
        });
        registry.AddOrchestratorFunc<int, string>("AwaitWithTimeout", async (context, seconds) =>
        {
            try
            {
                return await context.WaitForExternalEvent<string>("Approval", TimeSpan.FromSeconds(seconds));
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        });
        registry.AddOrchestratorFunc<string, string>("Parent", async (context, name) =>
        {
            try
            {
                return await context.CallSubOrchestratorAsync<string>("Child", name);
            }
            catch (TaskFailedException failed)
            {
                return "child failed: " + failed.FailureDetails.ErrorMessage;
            }
        });
        registry.AddOrchestratorFunc<string, string>("Child", async (context, name) =>
            name == "boom" ? throw new InvalidOperationException("boom") : await context.CallActivityAsync<string>("SayHello", name));
        registry.AddOrchestratorFunc<int, string>("Flaky", (context, failures) =>
            context.CallActivityAsync<string>("FailTimes", new FlakyInput(context.InstanceId, failures),
                TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(1), backoffCoefficient: 2))));
        registry.AddOrchestratorFunc<int, int>("Counter", (context, n) =>
        {
            if (n < 5)
            {
                context.ContinueAsNew(n + 1);
            }

            return Task.FromResult(n);
        });
        registry.AddOrchestratorFunc<string, string[]>("Replay", async (context, _) =>
        {
            var guid = context.NewGuid();
            var started = context.CurrentUtcDateTime;
            Observed.Enqueue((context.InstanceId, context.IsReplaying, guid, started));
            await context.WaitForExternalEvent<string>("Go");
            return [guid.ToString(), started.ToString("O")];
        });
        registry.AddOrchestratorFunc<string, string>("Changing", async (context, _) =>
        {
            await context.CallActivityAsync<string>(ChangedCode ? "Square" : "SayHello", ChangedCode ? new SquareInput(context.InstanceId, 2) : "x");
            await context.WaitForExternalEvent<string>("Go");
            return "done";
        });
        registry.AddOrchestratorFunc<int, string>("Blocking", (context, _) => context.CallActivityAsync<string>("Block", context.InstanceId));
        registry.AddOrchestratorFunc<int, string>("BlockThenAwait", async (context, _) =>
        {
            var released = await context.CallActivityAsync<string>("Block", context.InstanceId);
            return released + " then " + await context.WaitForExternalEvent<string>("Go");
        });
        registry.AddOrchestratorFunc<string, string>("Forwarder", async (context, target) =>
        {
            context.SendEvent(target, "Approval", "forwarded by " + context.InstanceId);
            return await Task.FromResult("sent");
        });

        registry.AddActivityFunc<string, string>("SayHello", (_, city) => $"Hello {city}!");
        registry.AddActivityFunc<SquareInput, int>("Square", async (_, input) =>
        {
            var running = RunningSquares.AddOrUpdate(input.InstanceId, 1, (_, n) => n + 1);
            MaxParallelSquares.AddOrUpdate(input.InstanceId, running, (_, max) => Math.Max(max, running));
            await Task.Delay(5);
            RunningSquares.AddOrUpdate(input.InstanceId, 0, (_, n) => n - 1);
            return input.Value * input.Value;
        });
        registry.AddActivity<FailTimes>("FailTimes");
        registry.AddActivityFunc<string, string>("Block", async (_, instanceId) =>
        {
            BlockRuns.AddOrUpdate(instanceId, 1, (_, n) => n + 1);
            await Release.Task;
            return "released";
        });
    }

    public sealed record FlakyInput(string InstanceId, int Failures);

    public sealed record SquareInput(string InstanceId, int Value);

    /// <summary>Fails its first attempts, noting when each ran by the clock of the engine's services.</summary>
    private sealed class FailTimes(TimeProvider clock) : TaskActivity<FlakyInput, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, FlakyInput input)
        {
            var attempts = Attempts.GetOrAdd(input.InstanceId, _ => new ConcurrentQueue<DateTimeOffset>());
            attempts.Enqueue(clock.GetUtcNow());
            return attempts.Count <= input.Failures
                ? throw new InvalidOperationException($"attempt {attempts.Count} failed")
                : Task.FromResult($"succeeded on attempt {attempts.Count}");
        }
    }
}
