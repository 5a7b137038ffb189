using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Workforce.Testing.Durable;

/// <summary>The engines a workflow test runs on: the standalone server's own, and Durable Task's.</summary>
public enum EngineKind
{
    /// <summary>The embedded engine on a SQLite file of its own, on a fake clock.</summary>
    Embedded,

    /// <summary>Durable Task's in-process test host: the real worker and orchestration service; its timers run in real time.</summary>
    DurableTask,
}

/// <summary>
/// A durable engine running the workflows a test registers, with the services their activities need, and a client.
/// The same test runs on each kind and must see the same outcome; only how time passes differs.
/// </summary>
public abstract class WorkflowEngine : IAsyncDisposable
{
    public abstract EngineKind Kind { get; }

    public abstract DurableTaskClient Client { get; }

    /// <summary>Where the registered activities (and the test) get their services.</summary>
    public abstract IServiceProvider Services { get; }

    /// <summary>The clock of the services: a fake one for the embedded engine, the system's for Durable Task's.</summary>
    public abstract TimeProvider Clock { get; }

    public static Task<WorkflowEngine> StartAsync(EngineKind kind, Action<DurableTaskRegistry> tasks, Action<IServiceCollection, TimeProvider>? services = null) =>
        kind == EngineKind.Embedded
            ? EmbeddedWorkflowEngine.StartNewAsync(tasks, services)
            : DurableTaskWorkflowEngine.StartNewAsync(tasks, services);

    /// <summary>Lets durable time pass: the fake clock moves at once; real time is waited for.</summary>
    public abstract Task PassAsync(TimeSpan time);

    /// <summary>
    /// Waits for the instance to finish while durable time goes by: real time on Durable Task's engine; on the
    /// embedded one, the fake clock moves by <paramref name="step"/> every few milliseconds.
    /// </summary>
    public async Task<OrchestrationMetadata> RunToCompletionAsync(string instanceId, TimeSpan step)
    {
        var completion = WaitForCompletionAsync(instanceId);
        while (!completion.IsCompleted)
        {
            await TickAsync(step);
            await Task.WhenAny(completion, Task.Delay(20));
        }

        return await completion;
    }

    /// <summary>One step of <see cref="RunToCompletionAsync"/>: nothing where time passes by itself.</summary>
    protected virtual Task TickAsync(TimeSpan step) => Task.CompletedTask;

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Waits for an instance to finish, failing the test rather than hanging.</summary>
    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        try
        {
            return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, CancellationToken.None)
                .WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{instanceId} did not finish on the {Kind} engine: {await DescribeAsync(instanceId)}");
        }
    }

    /// <summary>Polls, in real time, until the instance satisfies the condition.</summary>
    public async Task<OrchestrationMetadata> WaitUntilAsync(string instanceId, Func<OrchestrationMetadata, bool> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) is { } metadata && condition(metadata))
            {
                return metadata;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{instanceId} never reached {what ?? "the expected state"} on the {Kind} engine: {await DescribeAsync(instanceId)}");
    }

    /// <summary>Polls, in real time, for a condition the engine's work brings about.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Never: {what}.");
    }

    public abstract ValueTask DisposeAsync();

    private async Task<string> DescribeAsync(string instanceId) =>
        await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) is { } m
            ? $"{m.RuntimeStatus}, custom status {m.SerializedCustomStatus}, failure {m.FailureDetails?.ErrorMessage}"
            : "no such instance";
}
