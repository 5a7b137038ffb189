using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Workforce.Agent;

/// <summary>The handlers an agent registered in a service collection runs; add them with <see cref="Handle{TInput, TResult}"/> and <see cref="OnMessage{T}"/>.</summary>
public sealed class WorkforceAgentBuilder
{
    internal List<Action<AgentHost>> Handlers { get; } = [];

    public WorkforceAgentBuilder Handle<TInput, TResult>(string taskType, Func<TInput, TaskContext, CancellationToken, Task<TResult>> handler)
    {
        Handlers.Add(agent => agent.Handle(taskType, handler));
        return this;
    }

    public WorkforceAgentBuilder Handle<TInput>(string taskType, Func<TInput, TaskContext, CancellationToken, Task> handler)
    {
        Handlers.Add(agent => agent.Handle(taskType, handler));
        return this;
    }

    public WorkforceAgentBuilder OnMessage<T>(string type, Func<T, MessageContext, CancellationToken, Task> handler)
    {
        Handlers.Add(agent => agent.OnMessage(type, handler));
        return this;
    }
}

public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds a Workforce agent that runs as a hosted service: it starts with the host and drains when the host stops.
    /// Give the host a <c>HostOptions.ShutdownTimeout</c> longer than the agent's shutdown grace period.
    /// </summary>
    public static WorkforceAgentBuilder AddWorkforceAgent(this IServiceCollection services, Action<WorkforceAgentOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new WorkforceAgentBuilder();
        services.AddOptions<WorkforceAgentOptions>().Configure(configure).Validate(options =>
        {
            options.Validate();
            return true;
        });
        services.AddHttpClient(nameof(AgentHost), http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<WorkforceAgentOptions>>().Value;
            var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AgentHost));
            http.Timeout = TimeSpan.FromSeconds(options.LeaseWaitSeconds + 30);
            var agent = new AgentHost(options, http, provider.GetService<ILogger<AgentHost>>(), provider.GetService<TimeProvider>());
            foreach (var handler in builder.Handlers)
            {
                handler(agent);
            }

            return agent;
        });
        services.AddSingleton<IHostedService, WorkforceAgentService>();
        return builder;
    }
}
