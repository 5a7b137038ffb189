using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workforce.Orchestrations;

namespace Workforce.Testing.Durable;

/// <summary>
/// Durable Task's own engine: its worker and client against the in-memory orchestration service of
/// Microsoft.DurableTask.InProcessTestHost, over a loopback gRPC sidecar. Payloads use the workflows' JSON, as they
/// do on every host; its timers run in real time, so tests on it keep their timeouts to seconds.
/// </summary>
public sealed class DurableTaskWorkflowEngine : WorkflowEngine
{
    private readonly DurableTaskTestHost _host;

    private DurableTaskWorkflowEngine(DurableTaskTestHost host) => _host = host;

    public override EngineKind Kind => EngineKind.DurableTask;

    public override DurableTaskClient Client => _host.Client;

    public override IServiceProvider Services => _host.Services;

    public override TimeProvider Clock => TimeProvider.System;

    internal static async Task<WorkflowEngine> StartNewAsync(Action<DurableTaskRegistry> tasks, Action<IServiceCollection, TimeProvider>? configure)
    {
        // The test host picks a random port of its own, which tests running side by side can both pick.
        var host = await DurableTaskTestHost.StartAsync(tasks, new DurableTaskTestHostOptions
        {
            Port = ServerProcess.FreePort(),
            // Its sidecar and worker log every work item at Information.
            LoggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning)),
            ConfigureServices = services =>
            {
                services.AddSingleton(TimeProvider.System);
                services.Configure<DurableTaskWorkerOptions>(options => options.DataConverter = WorkflowJson.Converter);
                services.Configure<DurableTaskClientOptions>(options => options.DataConverter = WorkflowJson.Converter);
                configure?.Invoke(services, TimeProvider.System);
            },
        });
        return new DurableTaskWorkflowEngine(host);
    }

    public override Task PassAsync(TimeSpan time) => Task.Delay(time);

    public override ValueTask DisposeAsync() => _host.DisposeAsync();
}
