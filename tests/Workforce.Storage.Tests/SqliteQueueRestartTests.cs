using Workforce.Core.Queues;

namespace Workforce.Storage.Tests;

/// <summary>
/// The standalone server owns its SQLite file, so a start means the process that held any work-queue lock is gone:
/// what it had received is receivable again at once, not after the rest of its lock.
/// </summary>
public sealed class SqliteQueueRestartTests : IAsyncLifetime
{
    private readonly SqliteBackend _backend = new();

    [Fact]
    public async Task A_message_received_before_a_restart_is_received_again_at_once_after_it()
    {
        await _backend.Queues.SendAsync(new QueueMessage(TestQueues.Work, "held at the kill"));
        var before = Assert.Single(await _backend.Queues.ReceiveAsync(TestQueues.Work, 1));

        await _backend.ReopenAsync();
        var after = Assert.Single(await _backend.Queues.ReceiveAsync(TestQueues.Work, 1));

        Assert.Equal((before.MessageId, 2), (after.MessageId, after.DeliveryCount));
        await Assert.ThrowsAsync<MessageLockLostException>(() => _backend.Queues.CompleteAsync(before));
        await _backend.Queues.CompleteAsync(after);
    }

    [Fact]
    public async Task A_message_scheduled_for_later_stays_invisible_across_a_restart()
    {
        await _backend.Queues.SendAsync(new QueueMessage(TestQueues.Work, "later") { ScheduledEnqueueTime = DateTimeOffset.UtcNow.AddHours(1) });

        await _backend.ReopenAsync();

        Assert.Empty(await _backend.Queues.ReceiveAsync(TestQueues.Work, 1));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _backend.DisposeAsync();
}
