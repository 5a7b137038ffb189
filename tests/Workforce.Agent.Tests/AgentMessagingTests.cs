using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace Workforce.Agent.Tests;

/// <summary>
/// SDK agents messaging each other through the real server: direct, broadcast, redelivery of a message whose handler
/// failed or was cut off by a stop, and dropping of one its handler cannot take.
/// </summary>
public sealed class AgentMessagingTests : IAsyncDisposable
{
    private readonly AgentServer _server = new();

    public sealed record Assignment(string Task, int Count);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task An_agent_sends_a_typed_direct_message_and_a_broadcast_that_the_other_agents_handlers_receive()
    {
        var received = new ConcurrentQueue<(Assignment Payload, MessageContext Context)>();
        using var manager = _server.Agent(1, options => options.Role = "strategic")
            .OnMessage<Assignment>("status", (_, _, _) => Task.CompletedTask);
        using var worker = _server.Agent(1, options => options.Capabilities.Add("translate"))
            .OnMessage<Assignment>("task_assignment", (payload, context, _) =>
            {
                received.Enqueue((payload, context));
                return Task.CompletedTask;
            });
        var runs = new[] { manager.RunAsync(_server.Stopping), worker.RunAsync(_server.Stopping) };
        await TenantCalls.EventuallyAsync(() => Task.FromResult(manager.AgentId != Guid.Empty && worker.AgentId != Guid.Empty), "both agents connected");

        var direct = await manager.SendAsync(worker.AgentId, "task_assignment", new Assignment("translate", 3), TestContext.Current.CancellationToken);
        var broadcast = await manager.BroadcastAsync("task_assignment", new Assignment("translate", 5), capability: "translate", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(worker.AgentId, direct.Receiver);
        var copy = Assert.Single(broadcast);
        Assert.Equal(worker.AgentId, copy.Receiver);
        await TenantCalls.EventuallyAsync(() => Task.FromResult(received.Count >= 2), "the worker handled both messages");
        var messages = received.ToDictionary(item => item.Context.MessageId);
        var first = messages[direct.Id];
        Assert.Equal(new Assignment("translate", 3), first.Payload);
        Assert.Equal("task_assignment", first.Context.Type);
        Assert.Equal(new MessageSender("agent", manager.AgentId.ToString()), first.Context.Sender);
        Assert.Equal(worker.AgentId, first.Context.Receiver);
        Assert.Null(first.Context.BroadcastId);
        Assert.Equal(1, first.Context.Attempt);
        var second = messages[copy.Id];
        Assert.Equal(new Assignment("translate", 5), second.Payload);
        Assert.Equal(copy.BroadcastId, second.Context.BroadcastId);
        Assert.NotNull(second.Context.BroadcastId);

        await _server.StopAgentsAsync();
        await Task.WhenAll(runs);
        Assert.Equal(2, received.Count); // acknowledged: neither came again
    }

    [Fact]
    public async Task A_message_whose_handler_threw_is_delivered_again_and_acknowledged_once_it_succeeds()
    {
        var attempts = new ConcurrentQueue<int>();
        using var sender = _server.Agent(1).OnMessage<Assignment>("unused", (_, _, _) => Task.CompletedTask);
        using var receiver = _server.Agent(1).OnMessage<Assignment>("task_assignment", (_, context, _) =>
        {
            attempts.Enqueue(context.Attempt);
            return context.Attempt == 1 ? throw new InvalidOperationException("not yet") : Task.CompletedTask;
        });
        var runs = new[] { sender.RunAsync(_server.Stopping), receiver.RunAsync(_server.Stopping) };
        await TenantCalls.EventuallyAsync(() => Task.FromResult(sender.AgentId != Guid.Empty && receiver.AgentId != Guid.Empty), "both agents connected");

        await sender.SendAsync(receiver.AgentId, "task_assignment", new Assignment("retry", 1), TestContext.Current.CancellationToken);

        await TenantCalls.EventuallyAsync(() => Task.FromResult(attempts.Count >= 2), "the message came again after the handler threw");
        await Task.Delay(3000, TestContext.Current.CancellationToken); // three visibility timeouts: an acknowledged message does not come back
        await _server.StopAgentsAsync();
        await Task.WhenAll(runs);
        Assert.Equal([1, 2], attempts);
    }

    [Fact]
    public async Task A_message_still_being_handled_when_the_agent_stops_comes_again_when_that_agent_runs_again()
    {
        using var tenant = _server.Tenant();
        var (agentId, agentKey) = await RegisterAsync(tenant);
        var handling = new TaskCompletionSource<MessageContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        Guid sent;
        using (var stopFirst = new CancellationTokenSource())
        using (var first = Registered(agentId, agentKey, options => options.ShutdownGracePeriod = TimeSpan.FromMilliseconds(200))
            .OnMessage<Assignment>("task_assignment", async (_, context, token) =>
            {
                handling.TrySetResult(context);
                await Task.Delay(Timeout.InfiniteTimeSpan, token); // still running when the agent stops
            }))
        {
            var run = first.RunAsync(stopFirst.Token);
            sent = await SendAsync(tenant, agentId, new Assignment("survive a restart", 1));
            Assert.Equal(1, (await handling.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken)).Attempt);
            await stopFirst.CancelAsync();
            await run; // the grace period ran out and the handler was cancelled: nothing was acknowledged
        }

        var again = new TaskCompletionSource<(Assignment Payload, MessageContext Context)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var second = Registered(agentId, agentKey).OnMessage<Assignment>("task_assignment", (payload, context, _) =>
        {
            again.TrySetResult((payload, context));
            return Task.CompletedTask;
        });
        var rerun = second.RunAsync(_server.Stopping);

        var (payload, redelivered) = await again.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Equal(sent, redelivered.MessageId);
        Assert.Equal(2, redelivered.Attempt);
        Assert.Equal(agentId, redelivered.Receiver);
        Assert.Equal("tenant", redelivered.Sender.Kind);
        Assert.Equal(new Assignment("survive a restart", 1), payload);
        await _server.StopAgentsAsync();
        await rerun;
    }

    [Fact]
    public async Task A_message_whose_handler_throws_non_retryable_or_whose_payload_does_not_fit_is_acknowledged_and_not_delivered_again()
    {
        using var tenant = _server.Tenant();
        var (agentId, agentKey) = await RegisterAsync(tenant);
        var handled = new ConcurrentQueue<(string Task, int Attempt)>();
        using var agent = Registered(agentId, agentKey).OnMessage<Assignment>("task_assignment", (payload, context, _) =>
        {
            handled.Enqueue((payload.Task, context.Attempt));
            return payload.Task == "impossible" ? throw new NonRetryableException("no one can do this") : Task.CompletedTask;
        });
        var run = agent.RunAsync(_server.Stopping);

        await SendAsync(tenant, agentId, "not an assignment"); // does not fit Assignment: never reaches the handler
        await SendAsync(tenant, agentId, new Assignment("impossible", 1));
        await SendAsync(tenant, agentId, new Assignment("possible", 2));

        // One at a time in order: the last handled means the two before it were acknowledged (or would have come again).
        await TenantCalls.EventuallyAsync(() => Task.FromResult(handled.Any(item => item.Task == "possible")), "the last message handled");
        await _server.StopAgentsAsync();
        await run;
        Assert.Equal([("impossible", 1), ("possible", 1)], handled);
        using var agentHttp = _server.CreateClient();
        agentHttp.DefaultRequestHeaders.Add("X-API-Key", agentKey);
        var inbox = await TenantCalls.ReadAsync(await agentHttp.GetAsync(new Uri($"/api/v1/agents/{agentId}/messages?waitSeconds=5", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.Empty(inbox["items"]!.AsArray()); // past the 1 s visibility timeout, an unacknowledged one would be here
    }

    private static async Task<(Guid Id, string Key)> RegisterAsync(HttpClient tenant)
    {
        var registered = await TenantCalls.ReadAsync(await tenant.PostAsJsonAsync("/api/v1/agents", new { name = "inbox", capacity = 1 }, TestContext.Current.CancellationToken));
        return (registered["id"]!.GetValue<Guid>(), registered["agentKey"]!.GetValue<string>());
    }

    /// <summary>An agent registered before, started with its id and key, as a restarted process would be.</summary>
    private AgentHost Registered(Guid agentId, string agentKey, Action<WorkforceAgentOptions>? configure = null) => _server.Agent(1, options =>
    {
        options.TenantKey = null;
        options.AgentId = agentId;
        options.AgentKey = agentKey;
        configure?.Invoke(options);
    });

    private static async Task<Guid> SendAsync(HttpClient tenant, Guid agentId, object payload)
    {
        var response = await tenant.PostAsJsonAsync($"/api/v1/agents/{agentId}/messages", new { type = "task_assignment", payload }, TestContext.Current.CancellationToken);
        return (await TenantCalls.ReadAsync(response))["id"]!.GetValue<Guid>();
    }
}
