using Workforce.Core;
using Workforce.Core.Messaging;

namespace Workforce.Storage.Tests;

/// <summary>
/// What every <see cref="IMessageStore"/> must do: messages kept whole in their receiver's inbox, handed out oldest
/// first, each leased so that no second receive gets it until its visibility timeout ends and then delivered again
/// until acknowledged; inboxes bounded (a send that would overfill one keeps nothing); tenants' inboxes apart; kept
/// across a restart; acknowledged and expired ones purged in bounded batches.
/// </summary>
public abstract class MessageStoreContract : IAsyncLifetime
{
    private const string Tenant = "messaging";
    private const string Other = "someone-else";
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private static readonly Guid Worker = Guid.NewGuid();
    private static readonly Guid Manager = Guid.NewGuid();

    private IStorageBackend _backend = null!;

    private IMessageStore Messages => _backend.Messages;

    public async ValueTask InitializeAsync() => _backend = await CreateBackendAsync();

    public async ValueTask DisposeAsync()
    {
        await _backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task Sent_messages_are_received_whole_oldest_first_and_leased_away_from_a_second_receive()
    {
        var first = Message(Tenant, Worker, Now, "task_assignment", """{"task":"translate","to":"de"}""") with
        {
            Sender = new MessageSender(MessageSenderKind.Agent, Manager.ToString()),
            BroadcastId = Guid.NewGuid(),
        };
        var second = Message(Tenant, Worker, Now.AddMilliseconds(1), "status_request");
        var third = Message(Tenant, Worker, Now.AddMilliseconds(2), "status_request");
        Assert.Empty(await Messages.SendAsync(Tenant, [first], 10, Now));
        Assert.Empty(await Messages.SendAsync(Tenant, [second, third], 10, Now));

        var batch = await Messages.ReceiveAsync(Tenant, Worker, Now.AddSeconds(1), Visibility, 2);

        Assert.Equal([first, second], batch.Select(d => d.Message));
        Assert.All(batch, d => Assert.Equal(1, d.Attempt));
        Assert.All(batch, d => Assert.Equal(Now.AddSeconds(1) + Visibility, d.VisibleUntil));
        Assert.Equal([third], (await Messages.ReceiveAsync(Tenant, Worker, Now.AddSeconds(2), Visibility, 10)).Select(d => d.Message));
        Assert.Empty(await Messages.ReceiveAsync(Tenant, Worker, Now.AddSeconds(3), Visibility, 10));
    }

    [Fact]
    public async Task An_unacknowledged_message_is_delivered_again_after_its_visibility_timeout_and_an_acknowledged_one_is_not()
    {
        var kept = Message(Tenant, Worker, Now, "a");
        var acknowledged = Message(Tenant, Worker, Now.AddMilliseconds(1), "b");
        await Messages.SendAsync(Tenant, [kept, acknowledged], 10, Now);
        await Messages.ReceiveAsync(Tenant, Worker, Now, Visibility, 10);

        Assert.True(await Messages.AcknowledgeAsync(Tenant, Worker, acknowledged.Id, Now.AddSeconds(1)));
        Assert.Empty(await Messages.ReceiveAsync(Tenant, Worker, Now + Visibility - TimeSpan.FromSeconds(1), Visibility, 10));

        var again = Assert.Single(await Messages.ReceiveAsync(Tenant, Worker, Now + Visibility, Visibility, 10));
        Assert.Equal(kept, again.Message);
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public async Task Acknowledging_twice_succeeds_and_another_agents_or_tenants_message_is_not_found()
    {
        var message = Message(Tenant, Worker, Now, "a");
        await Messages.SendAsync(Tenant, [message], 10, Now);

        Assert.True(await Messages.AcknowledgeAsync(Tenant, Worker, message.Id, Now));
        Assert.True(await Messages.AcknowledgeAsync(Tenant, Worker, message.Id, Now.AddSeconds(1)));
        Assert.False(await Messages.AcknowledgeAsync(Tenant, Manager, message.Id, Now));
        Assert.False(await Messages.AcknowledgeAsync(Other, Worker, message.Id, Now));
        Assert.False(await Messages.AcknowledgeAsync(Tenant, Worker, Guid.NewGuid(), Now));
    }

    [Fact]
    public async Task A_tenant_never_receives_another_tenants_messages()
    {
        await Messages.SendAsync(Other, [Message(Other, Worker, Now, "theirs")], 10, Now);

        Assert.Empty(await Messages.ReceiveAsync(Tenant, Worker, Now, Visibility, 10));
        Assert.Single(await Messages.ReceiveAsync(Other, Worker, Now, Visibility, 10));
    }

    [Fact]
    public async Task A_send_that_would_overfill_an_inbox_keeps_nothing_and_names_the_full_inbox()
    {
        await Messages.SendAsync(Tenant, [Message(Tenant, Worker, Now, "a"), Message(Tenant, Worker, Now.AddMilliseconds(1), "b")], 3, Now);

        var full = await Messages.SendAsync(Tenant, [Message(Tenant, Manager, Now, "c"), Message(Tenant, Worker, Now, "c"), Message(Tenant, Worker, Now, "d")], 3, Now);

        Assert.Equal([Worker], full);
        Assert.Empty(await Messages.ReceiveAsync(Tenant, Manager, Now, Visibility, 10));
        Assert.Equal(["a", "b"], (await Messages.ReceiveAsync(Tenant, Worker, Now.AddSeconds(1), Visibility, 10)).Select(d => d.Message.Type));
    }

    [Fact]
    public async Task Acknowledged_and_expired_messages_free_their_inbox_slots()
    {
        var acknowledged = Message(Tenant, Worker, Now, "a");
        var expiring = Message(Tenant, Worker, Now, "b") with { ExpiresAt = Now.AddMinutes(1) };
        await Messages.SendAsync(Tenant, [acknowledged, expiring], 2, Now);
        await Messages.AcknowledgeAsync(Tenant, Worker, acknowledged.Id, Now);

        Assert.Empty(await Messages.ReceiveAsync(Tenant, Worker, Now.AddMinutes(1), Visibility, 10));
        Assert.Empty(await Messages.SendAsync(Tenant, [Message(Tenant, Worker, Now.AddMinutes(1), "c"), Message(Tenant, Worker, Now.AddMinutes(1), "d")], 2, Now.AddMinutes(1)));
    }

    [Fact]
    public async Task Purging_deletes_acknowledged_and_expired_messages_in_bounded_batches_and_keeps_the_rest()
    {
        var acknowledged = Message(Tenant, Worker, Now, "a");
        var expired = Message(Other, Worker, Now, "b") with { ExpiresAt = Now.AddMinutes(1) };
        var kept = Message(Tenant, Worker, Now.AddMilliseconds(1), "c");
        await Messages.SendAsync(Tenant, [acknowledged, kept], 10, Now);
        await Messages.SendAsync(Other, [expired], 10, Now);
        await Messages.AcknowledgeAsync(Tenant, Worker, acknowledged.Id, Now);

        Assert.Equal(1, await Messages.PurgeAsync(Now.AddMinutes(2), 1));
        Assert.Equal(1, await Messages.PurgeAsync(Now.AddMinutes(2), 1));
        Assert.Equal(0, await Messages.PurgeAsync(Now.AddMinutes(2), 1));

        Assert.False(await Messages.AcknowledgeAsync(Tenant, Worker, acknowledged.Id, Now.AddMinutes(2)));
        Assert.Equal([kept], (await Messages.ReceiveAsync(Tenant, Worker, Now.AddMinutes(2), Visibility, 10)).Select(d => d.Message));
    }

    [Fact]
    public async Task Messages_and_their_leases_survive_a_restart()
    {
        var large = Message(Tenant, Worker, Now, "large", "\"" + new string('x', 256 * 1024 - 10) + "\"");
        var leased = Message(Tenant, Worker, Now.AddMilliseconds(1), "leased");
        await Messages.SendAsync(Tenant, [large, leased], 10, Now);
        await Messages.ReceiveAsync(Tenant, Worker, Now.AddSeconds(1), Visibility, 1);
        await Messages.ReceiveAsync(Tenant, Worker, Now.AddSeconds(1), Visibility, 1);

        await _backend.ReopenAsync();

        Assert.Empty(await Messages.ReceiveAsync(Tenant, Worker, Now.AddSeconds(2), Visibility, 10));
        var redelivered = await Messages.ReceiveAsync(Tenant, Worker, Now.AddSeconds(1) + Visibility, Visibility, 10);
        Assert.Equal([large, leased], redelivered.Select(d => d.Message));
        Assert.All(redelivered, d => Assert.Equal(2, d.Attempt));
    }

    private static AgentMessage Message(string tenantId, Guid receiver, DateTimeOffset sentAt, string type, string? payload = null) => new()
    {
        Id = Guid.CreateVersion7(sentAt),
        TenantId = tenantId,
        Type = type,
        Sender = new MessageSender(MessageSenderKind.Tenant, tenantId),
        Receiver = receiver,
        Payload = payload is null ? null : new RawJson(payload),
        SentAt = sentAt,
        ExpiresAt = sentAt.AddDays(7),
    };
}

public sealed class SqliteMessageStoreContract : MessageStoreContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureMessageStoreContract : MessageStoreContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
