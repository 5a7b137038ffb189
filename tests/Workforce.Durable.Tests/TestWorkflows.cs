using System.Collections.Concurrent;
using Workforce.Orchestrations.Durable;

namespace Workforce.Durable.Tests;

/// <summary>Small orchestrators and activities, each exercising one capability of the engine.</summary>
internal static class TestWorkflows
{
    public static IOrchestrator[] Orchestrators =>
    [
        new Lambda<string[], string>("Sequence", async (context, cities) =>
        {
            var greetings = new List<string>();
            foreach (var city in cities)
            {
                greetings.Add(await context.CallActivityAsync<string>("SayHello", city));
            }

            return string.Join(" ", greetings);
        }),
        new Lambda<int, int>("FanOut", async (context, count) =>
            (await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<int>("Square", i)))).Sum()),
        new Lambda<int, string>("Sleep", async (context, minutes) =>
        {
            await context.CreateTimer(TimeSpan.FromMinutes(minutes), CancellationToken.None);
            return $"woke at {context.CurrentUtcDateTime:HH:mm}";
        }),
        new Lambda<string, string>("AwaitApproval", async (context, _) =>
            await context.WaitForExternalEvent<string>("Approval")),
        new Lambda<int, string>("AwaitWithTimeout", async (context, seconds) =>
        {
            try
            {
                return await context.WaitForExternalEvent<string>("Approval", TimeSpan.FromSeconds(seconds));
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        }),
        new Lambda<string, string>("Parent", async (context, name) =>
        {
            try
            {
                return await context.CallSubOrchestratorAsync<string>("Child", input: name);
            }
            catch (TaskFailedException failed)
            {
                return "child failed: " + failed.FailureDetails.ErrorMessage;
            }
        }),
        new Lambda<string, string>("Child", async (context, name) =>
            name == "boom" ? throw new InvalidOperationException("boom") : await context.CallActivityAsync<string>("SayHello", name)),
        new Lambda<int, string>("Flaky", async (context, failures) =>
            await context.CallActivityAsync<string>("FailTimes", new FlakyInput(context.InstanceId, failures),
                TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(10), backoffCoefficient: 2)))),
        new Lambda<int, int>("Counter", (context, n) =>
        {
            if (n < 5)
            {
                context.ContinueAsNew(n + 1);
            }

            return Task.FromResult(n);
        }),
        new Lambda<string, string[]>("Replay", async (context, _) =>
        {
            var guid = context.NewGuid();
            var started = context.CurrentUtcDateTime;
            Observed.Add((context.InstanceId, context.IsReplaying, guid, started));
            await context.WaitForExternalEvent<string>("Go");
            return [guid.ToString(), started.ToString("O")];
        }),
        new Lambda<string, string>("Changing", async (context, _) =>
        {
            await context.CallActivityAsync<string>(ChangedCode ? "Square" : "SayHello", ChangedCode ? 2 : "x");
            await context.WaitForExternalEvent<string>("Go");
            return "done";
        }),
        new Lambda<int, string>("Blocking", async (context, _) => await context.CallActivityAsync<string>("Block", context.InstanceId)),
        new Lambda<int, string>("BlockThenAwait", async (context, _) =>
        {
            var released = await context.CallActivityAsync<string>("Block", context.InstanceId);
            return released + " then " + await context.WaitForExternalEvent<string>("Go");
        }),
    ];

    public static IActivity[] Activities =>
    [
        new ActivityLambda<string, string>("SayHello", city => Task.FromResult($"Hello {city}!")),
        new ActivityLambda<int, int>("Square", async i =>
        {
            var running = Interlocked.Increment(ref _runningSquares);
            InterlockedMax(ref MaxParallelSquares, running);
            await Task.Delay(5);
            Interlocked.Decrement(ref _runningSquares);
            return i * i;
        }),
        new ActivityLambda<FlakyInput, string>("FailTimes", input =>
        {
            var attempt = Attempts.AddOrUpdate(input.InstanceId, 1, (_, n) => n + 1);
            return attempt <= input.Failures
                ? throw new InvalidOperationException($"attempt {attempt} failed")
                : Task.FromResult($"succeeded on attempt {attempt}");
        }),
        new ActivityLambda<string, string>("Block", async instanceId =>
        {
            BlockRuns.AddOrUpdate(instanceId, 1, (_, n) => n + 1);
            await Release.Task;
            return "released";
        }),
    ];

    public static ConcurrentDictionary<string, int> Attempts { get; } = new();

    public static ConcurrentDictionary<string, int> BlockRuns { get; } = new();

    public static ConcurrentBag<(string InstanceId, bool IsReplaying, Guid Guid, DateTime Time)> Observed { get; } = [];

    public static bool ChangedCode { get; set; }

    public static TaskCompletionSource Release { get; set; } = new();

    public static int MaxParallelSquares;

    private static int _runningSquares;

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = target; value > current; current = target)
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    public sealed record FlakyInput(string InstanceId, int Failures);

    private sealed class Lambda<TInput, TOutput>(string name, Func<OrchestrationContext, TInput, Task<TOutput>> run) : Orchestrator<TInput, TOutput>
    {
        public override string Name => name;

        public override Task<TOutput> RunAsync(OrchestrationContext context, TInput input) => run(context, input);
    }

    private sealed class ActivityLambda<TInput, TOutput>(string name, Func<TInput, Task<TOutput>> run) : Activity<TInput, TOutput>
    {
        public override string Name => name;

        public override Task<TOutput> RunAsync(ActivityContext context, TInput input) => run(input);
    }
}
