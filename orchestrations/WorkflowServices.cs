using Microsoft.Extensions.DependencyInjection;
using Workforce.Core.Tasks;
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
    public static IServiceCollection AddWorkforceWorkflows(this IServiceCollection services)
    {
        services.AddSingleton<IOrchestrator, TaskLifecycleOrchestrator>();
        services.AddSingleton<IOrchestrator, AgentLivenessOrchestrator>();
        services.AddSingleton<IOrchestrator, CleanupOrchestrator>();

        services.AddSingleton<IActivity, InspectTaskActivity>();
        services.AddSingleton<IActivity, EnforceTaskTimeoutsActivity>();
        services.AddSingleton<IActivity, TakeSilentAgentsOfflineActivity>();
        services.AddSingleton<IActivity, PurgeFinishedTasksActivity>();
        services.AddSingleton<IActivity, PurgeFinishedOrchestrationsActivity>();
        services.AddSingleton<IActivity, PurgeExpiredSubmissionsActivity>();
        services.AddSingleton<IActivity, PurgeDeadLettersActivity>();

        services.AddSingleton<StartTaskLifecycle>();
        services.AddSingleton<Operations.QueryOrchestrations>();
        services.AddSingleton<IScheduledJobRunner, StartScheduledJob>();
        services.AddSingleton<LifecycleEventRelay>();
        services.AddSingleton<ITaskObserver>(sp => sp.GetRequiredService<LifecycleEventRelay>());
        return services;
    }
}
