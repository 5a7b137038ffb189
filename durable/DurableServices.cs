using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workforce.Core.Queues;
using Workforce.Core.Tasks;
using Workforce.Durable.Queues;
using Workforce.Durable.Runtime;
using Workforce.Durable.Timers;
using Workforce.Orchestrations.Notifications;
using Workforce.Orchestrations.Scheduling;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Durable;

public static class DurableServices
{
    /// <summary>
    /// The embedded engine running the registered orchestrators and activities, as a hosted service and as the
    /// host's <see cref="DurableTaskClient"/>. Needs a <see cref="Storage.Sqlite.SqliteDatabase"/> and the
    /// <see cref="DurableEngineOptions"/> value.
    /// </summary>
    public static IServiceCollection AddEmbeddedDurableEngine(this IServiceCollection services, Action<DurableTaskRegistry> registerTasks)
    {
        ArgumentNullException.ThrowIfNull(registerTasks);
        var registry = new DurableTaskRegistry();
        registerTasks(registry);
        services.AddSingleton(sp => new DurableEngine(
            sp.GetRequiredService<Storage.Sqlite.SqliteDatabase>(),
            registry,
            sp,
            sp.GetRequiredService<DurableEngineOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().Client);
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DurableEngine>());
        return services;
    }

    /// <summary>
    /// What drives the workflows where a process outlives the requests, whatever engine runs them: the scheduler of
    /// the periodic jobs, the listeners of the task and notification queues and the relay of task changes. Needs AddWorkforceWorkflows
    /// and a <see cref="DurableTaskClient"/>; the scheduler keeps its runs in the <see cref="Storage.Sqlite.SqliteDatabase"/>.
    /// </summary>
    public static IServiceCollection AddWorkflowDrivers(this IServiceCollection services)
    {
        foreach (var job in ScheduledJobs.All)
        {
            services.AddSingleton(job);
        }

        services.AddHostedService<JobScheduler>();
        // Added as plain IHostedServices: AddHostedService keeps only one registration per implementation type.
        services.AddSingleton<IHostedService>(sp => new QueueListener(
            sp.GetRequiredService<IWorkQueues>(), WorkQueues.Tasks, sp.GetRequiredService<StartTaskLifecycle>().HandleAsync, sp.GetRequiredService<ILogger<QueueListener>>()));
        services.AddSingleton<IHostedService>(sp => new QueueListener(
            sp.GetRequiredService<IWorkQueues>(), WorkQueues.NotificationEvents, sp.GetRequiredService<FanOutNotificationMessage>().HandleAsync, sp.GetRequiredService<ILogger<QueueListener>>()));
        // The relay hears every committed transition and raises it from its own loop, which this host keeps running.
        services.AddSingleton<ITaskObserver>(sp => sp.GetRequiredService<LifecycleEventRelay>());
        services.AddHostedService<LifecycleRelayService>();
        return services;
    }
}
