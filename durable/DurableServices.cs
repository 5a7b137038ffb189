using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workforce.Durable.Runtime;
using Workforce.Durable.Timers;
using Workforce.Orchestrations.Durable;
using Workforce.Orchestrations.Scheduling;

namespace Workforce.Durable;

public static class DurableServices
{
    /// <summary>
    /// The embedded engine as the <see cref="IOrchestrationClient"/> and as a hosted service, and the scheduler of
    /// the periodic jobs. Needs a <see cref="Storage.Sqlite.SqliteDatabase"/> and the <see cref="DurableEngineOptions"/> value.
    /// </summary>
    public static IServiceCollection AddEmbeddedDurableEngine(this IServiceCollection services)
    {
        services.AddSingleton<DurableEngine>();
        services.AddSingleton<IOrchestrationClient>(sp => sp.GetRequiredService<DurableEngine>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DurableEngine>());
        foreach (var job in ScheduledJobs.All)
        {
            services.AddSingleton(job);
        }

        services.AddHostedService<JobScheduler>();
        return services;
    }
}
