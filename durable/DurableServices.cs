using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workforce.Core.Tasks;
using Workforce.Durable.Queues;
using Workforce.Durable.Runtime;
using Workforce.Durable.Timers;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.Scheduling;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Durable;

public static class DurableServices
{
    /// <summary>
    /// The embedded engine as the <see cref="IOrchestrationClient"/> and as a hosted service, and what drives the
    /// workflows on the standalone server: the scheduler of the periodic jobs, the listener of the task queues and
    /// the relay of task changes. Needs a <see cref="Storage.Sqlite.SqliteDatabase"/>, the workflows
    /// (AddWorkforceWorkflows) and the <see cref="DurableEngineOptions"/> value.
    /// </summary>
    public static IServiceCollection AddEmbeddedDurableEngine(this IServiceCollection services)
    {
        services.AddSingleton(sp => new DurableEngine(
            sp.GetRequiredService<Storage.Sqlite.SqliteDatabase>(),
            sp.GetServices<IOrchestrator>(),
            sp.GetServices<IActivity>,
            sp.GetRequiredService<DurableEngineOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DurableEngine>>()));
        services.AddSingleton<IOrchestrationClient>(sp => sp.GetRequiredService<DurableEngine>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DurableEngine>());
        foreach (var job in ScheduledJobs.All)
        {
            services.AddSingleton(job);
        }

        services.AddHostedService<JobScheduler>();
        services.AddHostedService<TaskQueueListener>();
        // The relay hears every committed transition and raises it from its own loop, which this host keeps running.
        services.AddSingleton<ITaskObserver>(sp => sp.GetRequiredService<LifecycleEventRelay>());
        services.AddHostedService<LifecycleRelayService>();
        return services;
    }
}
