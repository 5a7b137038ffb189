using System.Collections.Concurrent;

namespace Workforce.Agent.Tests;

/// <summary>SDK agents messaging each other through the real server: direct, broadcast, and redelivery of a message whose handler failed.</summary>
public sealed class AgentMessagingTests : IAsyncLifetime
{
    private readonly AgentServer _server = new();
    private readonly CancellationTokenSource _stop = new();

    public sealed record Assignment(string Task, int Count);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        await _server.DisposeAsync();
    }

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
        var runs = new[] { manager.RunAsync(_stop.Token), worker.RunAsync(_stop.Token) };
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

        await _stop.CancelAsync();
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
        var runs = new[] { sender.RunAsync(_stop.Token), receiver.RunAsync(_stop.Token) };
        await TenantCalls.EventuallyAsync(() => Task.FromResult(sender.AgentId != Guid.Empty && receiver.AgentId != Guid.Empty), "both agents connected");

        await sender.SendAsync(receiver.AgentId, "task_assignment", new Assignment("retry", 1), TestContext.Current.CancellationToken);

        await TenantCalls.EventuallyAsync(() => Task.FromResult(attempts.Count >= 2), "the message came again after the handler threw");
        await Task.Delay(3000, TestContext.Current.CancellationToken); // three visibility timeouts: an acknowledged message does not come back
        await _stop.CancelAsync();
        await Task.WhenAll(runs);
        Assert.Equal([1, 2], attempts);
    }
}
