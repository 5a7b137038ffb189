using Microsoft.Extensions.DependencyInjection;
using Moq;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Queues;
using Workforce.Core.Retention;
using Workforce.Core.Scheduling;
using Workforce.Core.Storage;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.TaskLifecycle;
using TaskOptions = Workforce.Core.Tasks.TaskOptions;

namespace Workforce.Functions.Tests;

/// <summary>The names of the orchestrators and activities a host registers, as AddWorkforceWorkflows registers them.</summary>
internal static class RegisteredWorkflows
{
    /// <summary>The registration, on stand-ins for storage and the orchestration client.</summary>
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddLogging()
        .AddWorkforceCore()
        .AddSingleton(new TaskOptions())
        .AddSingleton(new LeaseOptions())
        .AddSingleton(new AgentOptions())
        .AddSingleton(new RetentionOptions())
        .AddSingleton(new LifecycleOptions())
        .AddSingleton(Mock.Of<IWorkforceStore>())
        .AddSingleton(Mock.Of<IWorkQueues>())
        .AddSingleton(Mock.Of<IOrchestrationClient>())
        .AddWorkforceWorkflows()
        .BuildServiceProvider();

    public static IReadOnlyList<string> Orchestrators { get; } = [.. Services.GetServices<IOrchestrator>().Select(o => o.Name).Order()];

    public static IReadOnlyList<string> Activities { get; } = [.. Services.GetServices<IActivity>().Select(a => a.Name).Order()];
}
