using Microsoft.Data.Sqlite;
using Workforce.Core.Queues;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// <see cref="IWorkQueues"/> on the same SQLite file as the rest of the platform, so a message can be sent in the
/// same transaction as the change that caused it. Locks, deliveries and settlements are writes and go through the
/// group-commit writer like every other write.
/// </summary>
public sealed class SqliteWorkQueues(SqliteDatabase database, IReadOnlyList<QueueDefinition> definitions, TimeProvider clock) : IWorkQueues
{
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";
    public const string TtlExpired = "TTLExpiredException";

    public async Task SendAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var definition = Definition(message.Queue);
        await database.Writer.WriteAsync(commands => Insert(commands, message, definition, clock.GetUtcNow()), cancellationToken);
        database.Messages.Pulse();
    }

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, CancellationToken cancellationToken = default)
    {
        var definition = Definition(queue);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        return database.Writer.WriteAsync<IReadOnlyList<ReceivedMessage>>(commands =>
        {
            var now = clock.GetUtcNow();
            var candidates = commands.Get(QueueSql.Candidates);
            candidates.Parameters.AddWithValue("$queue", queue);
            candidates.Parameters.AddWithValue("$now", now.UtcTicks);
            var received = new List<ReceivedMessage>();
            foreach (var candidate in candidates.ReadAll(Candidate.Read))
            {
                if (received.Count == maxMessages)
                {
                    break;
                }

                if (candidate.ExpiresAt <= now)
                {
                    Expire(commands, candidate, definition, now);
                }
                else if (candidate.DeliveryCount >= definition.MaxDeliveryCount)
                {
                    MoveToDeadLetters(commands, candidate.Seq, MaxDeliveryCountExceeded, $"Delivered {candidate.DeliveryCount} times without being completed.", now);
                }
                else
                {
                    received.Add(Lock(commands, queue, candidate, now + definition.LockDuration));
                }
            }

            return received;
        }, cancellationToken);
    }

    public Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default) =>
        SettleAsync(message, QueueSql.Complete, static _ => { }, cancellationToken);

    public async Task AbandonAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        await SettleAsync(message, QueueSql.Abandon, static _ => { }, cancellationToken);
        database.Messages.Pulse();
    }

    public Task DeadLetterAsync(ReceivedMessage message, string reason, string? description = null, CancellationToken cancellationToken = default) =>
        SettleAsync(message, QueueSql.DeadLetter, parameters =>
        {
            parameters.AddWithValue("$reason", reason);
            parameters.AddWithValue("$description", (object?)description ?? DBNull.Value);
        }, cancellationToken);

    public async Task<DateTimeOffset> RenewLockAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var lockedUntil = clock.GetUtcNow() + Definition(message.Queue).LockDuration;
        await SettleAsync(message, QueueSql.Renew, parameters => parameters.AddWithValue("$lockedUntil", lockedUntil.UtcTicks), cancellationToken);
        return lockedUntil;
    }

    public Task WaitForMessagesAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        database.Messages.WaitAsync(timeout, clock, cancellationToken);

    public Task<IReadOnlyList<QueueCounts>> CountAsync(string? tenantId, CancellationToken cancellationToken = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = QueueSql.Counts;
        command.Parameters.AddWithValue("$now", clock.GetUtcNow().UtcTicks);
        command.Parameters.AddWithValue("$tenant", (object?)tenantId ?? DBNull.Value);
        var counted = command.ReadAll(row => new QueueCounts(row.GetString(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3)))
            .ToDictionary(c => c.Queue);
        IReadOnlyList<QueueCounts> all = [.. definitions.Select(d => counted.GetValueOrDefault(d.Name) ?? new QueueCounts(d.Name, 0, 0, 0))];
        return Task.FromResult(all);
    }

    public Task<int> PurgeDeadLettersAsync(DateTimeOffset deadLetteredBefore, int limit, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands =>
        {
            var purge = commands.Get(QueueSql.PurgeDeadLetters);
            purge.Parameters.AddWithValue("$before", deadLetteredBefore.UtcTicks);
            purge.Parameters.AddWithValue("$limit", limit);
            return purge.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Writes a new message; shared with the store so a transaction can send one.</summary>
    internal static int Insert(CommandCache commands, QueueMessage message, QueueDefinition definition, DateTimeOffset now)
    {
        var visibleAt = message.ScheduledEnqueueTime is { } scheduled && scheduled > now ? scheduled : now;
        var insert = commands.Get(QueueSql.Insert);
        insert.Parameters.AddWithValue("$queue", message.Queue);
        insert.Parameters.AddWithValue("$messageId", message.MessageId);
        insert.Parameters.AddWithValue("$tenant", (object?)message.TenantId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$body", message.Body);
        insert.Parameters.AddWithValue("$enqueued", now.UtcTicks);
        insert.Parameters.AddWithValue("$visible", visibleAt.UtcTicks);
        insert.Parameters.AddWithValue("$expires", (visibleAt + (message.TimeToLive ?? definition.DefaultTimeToLive)).UtcTicks);
        return insert.ExecuteNonQuery();
    }

    internal QueueDefinition Definition(string queue) =>
        definitions.FirstOrDefault(d => d.Name == queue) ?? throw new ArgumentException($"There is no queue named {queue}.", nameof(queue));

    private async Task SettleAsync(ReceivedMessage message, string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settled = await database.Writer.WriteAsync(commands =>
        {
            var command = commands.Get(sql);
            command.Parameters.AddWithValue("$token", message.LockToken);
            command.Parameters.AddWithValue("$now", clock.GetUtcNow().UtcTicks);
            bind(command.Parameters);
            return command.ExecuteNonQuery();
        }, cancellationToken);
        if (settled == 0)
        {
            throw new MessageLockLostException(
                $"The lock on message {message.MessageId} of {message.Queue} expired or was lost; the message will be delivered again.");
        }
    }

    private static ReceivedMessage Lock(CommandCache commands, string queue, Candidate candidate, DateTimeOffset lockedUntil)
    {
        var token = Guid.NewGuid().ToString("N");
        var command = commands.Get(QueueSql.Lock);
        command.Parameters.AddWithValue("$token", token);
        command.Parameters.AddWithValue("$lockedUntil", lockedUntil.UtcTicks);
        command.Parameters.AddWithValue("$seq", candidate.Seq);
        command.ExecuteNonQuery();
        return new ReceivedMessage(queue, candidate.MessageId, token, candidate.Body, candidate.TenantId, candidate.DeliveryCount + 1,
            new DateTimeOffset(candidate.EnqueuedAt, TimeSpan.Zero), lockedUntil);
    }

    /// <summary>Service Bus dead-letters an expired message only when the queue asks for it; otherwise it is dropped.</summary>
    private static void Expire(CommandCache commands, Candidate candidate, QueueDefinition definition, DateTimeOffset now)
    {
        if (definition.DeadLetteringOnMessageExpiration)
        {
            MoveToDeadLetters(commands, candidate.Seq, TtlExpired, "The message expired before it was completed.", now);
            return;
        }

        var delete = commands.Get(QueueSql.DeleteBySeq);
        delete.Parameters.AddWithValue("$seq", candidate.Seq);
        delete.ExecuteNonQuery();
    }

    private static void MoveToDeadLetters(CommandCache commands, long seq, string reason, string description, DateTimeOffset now)
    {
        var command = commands.Get(QueueSql.DeadLetterBySeq);
        command.Parameters.AddWithValue("$seq", seq);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$description", description);
        command.ExecuteNonQuery();
    }

    private sealed record Candidate(long Seq, string MessageId, string? TenantId, string Body, long EnqueuedAt, DateTimeOffset ExpiresAt, int DeliveryCount)
    {
        public static Candidate Read(SqliteDataReader row) => new(
            row.GetInt64(0), row.GetString(1), row.IsDBNull(2) ? null : row.GetString(2), row.GetString(3), row.GetInt64(4),
            new DateTimeOffset(row.GetInt64(5), TimeSpan.Zero), row.GetInt32(6));
    }
}
