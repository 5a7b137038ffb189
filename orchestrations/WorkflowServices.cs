using Microsoft.Extensions.DependencyInjection;
using Workforce.Orchestrations.AgentLiveness;
using Workforce.Orchestrations.Cleanup;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.Scheduling;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Orchestrations;

public static class WorkflowServices
{
    /// <summary>
    /// The orchestrators, activities and handlers. The host provides an <see cref="IOrchestrationClient"/> and an
    /// engine that runs the registered <see cref="IOrchestrator"/>s and <see cref="IActivity"/>s, plus the values of
    /// <see cref="LifecycleOptions"/> and <see cref="Core.Retention.RetentionOptions"/>.
    /// </summary>
    /// <param name="clientLifetime">
    /// The lifetime of what uses the <see cref="IOrchestrationClient"/>: singleton where one client serves the whole
    /// process (the embedded engine), scoped where each invocation brings its own (Durable Functions' [DurableClient]).
    /// </param>
    public static IServiceCollection AddWorkforceWorkflows(this IServiceCollection services, ServiceLifetime clientLifetime = ServiceLifetime.Singleton)
    {
        services.AddSingleton<IOrchestrator, TaskLifecycleOrchestrator>();
        services.AddSingleton<IOrchestrator, AgentLivenessOrchestrator>();
        services.AddSingleton<IOrchestrator, CleanupOrchestrator>();

        services.AddSingleton<IActivity, EnforceTaskTimeoutsActivity>();
        services.AddSingleton<IActivity, TakeSilentAgentsOfflineActivity>();
        services.AddSingleton<IActivity, PurgeFinishedTasksActivity>();
        services.Add(new ServiceDescriptor(typeof(IActivity), typeof(PurgeFinishedOrchestrationsActivity), clientLifetime));
        services.AddSingleton<IActivity, PurgeExpiredSubmissionsActivity>();
        services.AddSingleton<IActivity, PurgeDeadLettersActivity>();

        services.Add(new ServiceDescriptor(typeof(StartTaskLifecycle), typeof(StartTaskLifecycle), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(Operations.QueryOrchestrations), typeof(Operations.QueryOrchestrations), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(IScheduledJobRunner), typeof(StartScheduledJob), clientLifetime));
        services.Add(new ServiceDescriptor(typeof(LifecycleEventRelay), typeof(LifecycleEventRelay), clientLifetime));
        return services;
    }
}
