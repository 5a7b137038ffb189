using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Workforce.Core.Agents;
using Workforce.Core.Billing;
using Workforce.Core.Metrics;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;
using Workforce.Core.Tasks;
using Workforce.Core.Telemetry;
using Workforce.Core.Usage;
namespace Workforce.Storage.Sqlite;

/// <summary>
/// <see cref="IWorkforceStore"/> on SQLite. Transactions run one at a time on the group-commit writer, so they are
/// serializable and never conflict; queries read the last commit through pooled connections. Each transaction's
/// latency, group-commit wait included, goes to <see cref="WorkforceMeter"/> when there is one.
/// </summary>
public sealed partial class SqliteWorkforceStore(
    SqliteDatabase database,
    SqliteWorkQueues queues,
    TaskChangeFeed changes,
    UsageMetering metering,
    TimeProvider clock,
    WorkforceMeter? meter = null) : IWorkforceStore
{
    private const string DbSystem = "sqlite";

    public Task<T> TransactAsync<T>(string tenantId, Func<ITenantTransaction, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        TransactAsync(tenantId, work, coalesced: false, cancellationToken);

    public Task<T> TransactCoalescedAsync<T>(string tenantId, Func<ITenantTransaction, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        TransactAsync(tenantId, work, coalesced: true, cancellationToken);

    private async Task<T> TransactAsync<T>(string tenantId, Func<ITenantTransaction, ValueTask<T>> work, bool coalesced, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        // The span covers the wait for the group commit too: that is the store latency the caller sees.
        using var span = WorkforceTraces.Source.StartActivity("store.transaction");
        span?.SetTag("db.system.name", DbSystem);
        SqliteTenantTransaction? committed = null;
        var started = clock.GetTimestamp();
        T result;
        try
        {
            result = await WriteAsync();
        }
        catch
        {
            meter?.RecordStoreCommit(DbSystem, clock.GetElapsedTime(started), committed: false);
            throw;
        }

        meter?.RecordStoreCommit(DbSystem, clock.GetElapsedTime(started), committed: true);
        changes.Publish(committed!.Recorded);
        if (committed.SentMessages)
        {
            span?.SetTag("workforce.messages.sent", true);
            database.Messages.Pulse();
        }

        return result;

        Task<T> WriteAsync() => coalesced ? database.Writer.WriteCoalescedAsync(Write, cancellationToken) : database.Writer.WriteAsync(Write, cancellationToken);

        T Write(CommandCache commands)
        {
            // The work may run again if another write in its batch fails; only the last run is the one committed.
            committed = new SqliteTenantTransaction(commands, tenantId, queues, metering, clock);
            var pending = work(committed);
            // The SQLite transaction completes every step synchronously; this only waits if a caller's work awaits
            // something outside the transaction, which it must not do.
            var value = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            committed.WriteCounters();
            return value;
        }
    }

    public Task<WorkTask?> FindTaskAsync(string tenantId, Guid taskId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.FindTask;
            command.Parameters.AddWithValue("$id", taskId);
            command.Parameters.AddWithValue("$tenant", tenantId);
            return command.ReadOne(Rows.ReadTask);
        });

    public Task<Page<WorkTask>> ListTasksAsync(string tenantId, TaskFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var before = Cursor.Decode(page.Cursor) ?? long.MaxValue;
        return Read(connection =>
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder($"SELECT {Rows.TaskColumns} FROM tasks WHERE tenant_id = $tenant AND seq < $before");
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$before", before);
            if (filter.State is { } state)
            {
                sql.Append(" AND state = $state");
                command.Parameters.AddWithValue("$state", (int)state);
            }

            if (filter.Priority is { } priority)
            {
                sql.Append(" AND priority = $priority");
                command.Parameters.AddWithValue("$priority", (int)priority);
            }

            if (filter.AgentId is { } agentId)
            {
                sql.Append(" AND agent_id = $agent");
                command.Parameters.AddWithValue("$agent", agentId);
            }

            sql.Append(" ORDER BY seq DESC LIMIT $limit");
            command.Parameters.AddWithValue("$limit", page.Limit + 1);
            command.CommandText = sql.ToString();
            return ToPage(command.ReadAll(row => (row.GetInt64(0), Rows.ReadTask(row))), page.Limit);
        });
    }

    public Task<Agent?> FindAgentAsync(string tenantId, Guid agentId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.FindAgent;
            command.Parameters.AddWithValue("$id", agentId);
            command.Parameters.AddWithValue("$tenant", tenantId);
            return command.ReadOne(Rows.ReadAgent);
        });

    public Task<Page<Agent>> ListAgentsAsync(string tenantId, AgentFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var after = Cursor.Decode(page.Cursor) ?? 0;
        return Read(connection =>
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder($"SELECT {Rows.AgentColumns} FROM agents WHERE tenant_id = $tenant AND seq > $after");
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$after", after);
            if (filter.Status is { } status)
            {
                sql.Append(" AND status = $status");
                command.Parameters.AddWithValue("$status", (int)status);
            }

            if (filter.Capability is { } capability)
            {
                sql.Append(" AND EXISTS (SELECT 1 FROM json_each(agents.capabilities) WHERE json_each.value = $capability)");
                command.Parameters.AddWithValue("$capability", capability);
            }

            sql.Append(" ORDER BY seq LIMIT $limit");
            command.Parameters.AddWithValue("$limit", page.Limit + 1);
            command.CommandText = sql.ToString();
            return ToPage(command.ReadAll(row => (row.GetInt64(0), Rows.ReadAgent(row))), page.Limit);
        });
    }

    public Task<TaskCounts> CountTasksAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var pending = connection.CreateCommand();
            pending.CommandText = Sql.PendingByPriority;
            pending.Parameters.AddWithValue("$tenant", tenantId);
            var byPriority = pending.ReadAll(row => (Priority: (TaskPriority)row.GetInt32(0), Count: row.GetInt32(1)));

            using var held = connection.CreateCommand();
            held.CommandText = Sql.HeldByState;
            held.Parameters.AddWithValue("$tenant", tenantId);
            var byState = held.ReadAll(row => (State: (TaskState)row.GetInt32(0), Count: row.GetInt32(1)));

            return new TaskCounts(
                byPriority.ToDictionary(row => row.Priority, row => row.Count),
                byState.FirstOrDefault(row => row.State == TaskState.Assigned).Count,
                byState.FirstOrDefault(row => row.State == TaskState.Running).Count);
        });

    public Task<IReadOnlyList<TaskTransition>> GetTaskHistoryAsync(string tenantId, Guid taskId, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<TaskTransition>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.TaskHistory;
            command.Parameters.AddWithValue("$task", taskId);
            command.Parameters.AddWithValue("$tenant", tenantId);
            return command.ReadAll(Rows.ReadTransition);
        });

    public Task<IReadOnlyList<WorkTask>> ListHeldTasksAsync(CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<WorkTask>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.HeldTasks;
            return command.ReadAll(Rows.ReadTask);
        });

    public Task<IReadOnlyList<AgentRef>> FindSilentAgentsAsync(DateTimeOffset heardBefore, int limit, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<AgentRef>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.SilentAgents;
            command.Parameters.AddWithValue("$before", heardBefore.UtcTicks);
            command.Parameters.AddWithValue("$limit", limit);
            return command.ReadAll(row => new AgentRef(row.GetString(0), row.GetGuid(1)));
        });

    /// <summary>Deletes finished tasks with their history, and gives back the bytes their payloads and results kept.</summary>
    public Task<int> PurgeFinishedTasksAsync(DateTimeOffset finishedBefore, int limit, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands =>
        {
            var find = commands.Get(Sql.PurgeFinishedTasks);
            find.Parameters.AddWithValue("$before", finishedBefore.UtcTicks);
            find.Parameters.AddWithValue("$limit", limit);
            var finished = find.ReadAll(row => (Seq: row.GetInt64(0), Id: row.GetGuid(1), TenantId: row.GetString(2), Bytes: row.GetInt64(3),
                FinishedAt: new DateTimeOffset(row.GetInt64(4), TimeSpan.Zero)));
            foreach (var (seq, id, tenantId, bytes, finishedAt) in finished)
            {
                if (bytes > 0)
                {
                    var release = new SqliteTenantTransaction(commands, tenantId, queues, metering, clock);
                    release.Meter(UsageEvent.Freed(id, bytes, finishedAt));
                    release.WriteCounters();
                }

                var history = commands.Get(Sql.DeleteTaskHistory);
                history.Parameters.AddWithValue("$task", id);
                history.ExecuteNonQuery();
                var task = commands.Get(Sql.DeleteTask);
                task.Parameters.AddWithValue("$seq", seq);
                task.ExecuteNonQuery();
            }

            return finished.Count;
        }, cancellationToken);

    public Task<int> PurgeExpiredSubmissionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands =>
        {
            var purge = commands.Get(Sql.PurgeSubmissions);
            purge.Parameters.AddWithValue("$now", now.UtcTicks);
            purge.Parameters.AddWithValue("$limit", limit);
            return purge.ExecuteNonQuery();
        }, cancellationToken);

    public Task<Subscription?> FindSubscriptionAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.FindSubscription;
            command.Parameters.AddWithValue("$tenant", tenantId);
            return command.ReadOne(row => row.IsDBNull(1)
                ? metering.DefaultSubscription(tenantId, new DateTimeOffset(row.GetInt64(0), TimeSpan.Zero))
                : StoredJson.Deserialize<Subscription>(row.GetString(1)));
        });

    public Task<PeriodUsage> FindUsageAsync(string tenantId, DateTimeOffset periodStart, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.FindUsage;
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$start", periodStart.UtcTicks);
            return command.ReadOne(row => row.IsDBNull(1)
                ? PeriodUsage.Empty(periodStart, row.GetInt64(0))
                : new PeriodUsage(periodStart, row.GetInt64(1), row.GetInt64(2), row.GetInt64(3), row.GetInt64(0), Math.Max(row.GetInt64(0), row.GetInt64(4))))
                ?? PeriodUsage.Empty(periodStart, 0);
        });

    public async IAsyncEnumerable<UsageEvent> QueryUsageAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = Sql.UsageEvents;
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$from", from.UtcTicks);
        command.Parameters.AddWithValue("$to", to.UtcTicks);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (MeterNames.Parse(reader.GetString(1)) is { } meter)
            {
                yield return new UsageEvent(reader.GetString(0), meter, (long)reader.GetDouble(2), new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero));
            }
        }
    }

    public Task<int> PurgeUsageEventsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        database.Writer.WriteAsync(commands =>
        {
            var purge = commands.Get(Sql.PurgeUsageEvents);
            purge.Parameters.AddWithValue("$before", before.UtcTicks);
            purge.Parameters.AddWithValue("$limit", limit);
            return purge.ExecuteNonQuery();
        }, cancellationToken);

    public Task<Invoice?> FindInvoiceAsync(string tenantId, string invoiceId, CancellationToken cancellationToken = default) =>
        Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.FindInvoice;
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$id", invoiceId);
            return command.ExecuteScalar() is string body ? StoredJson.Deserialize<Invoice>(body) : null;
        });

    public Task<IReadOnlyList<Invoice>> ListInvoicesAsync(string tenantId, int limit, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<Invoice>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql.ListInvoices;
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$limit", limit);
            return command.ReadAll(row => StoredJson.Deserialize<Invoice>(row.GetString(0)));
        });

    private static Page<T> ToPage<T>(List<(long Seq, T Item)> rows, int limit) =>
        rows.Count > limit
            ? new Page<T>([.. rows.Take(limit).Select(r => r.Item)], Cursor.Encode(rows[limit - 1].Seq))
            : new Page<T>([.. rows.Select(r => r.Item)], null);

    private Task<T> Read<T>(Func<SqliteConnection, T> query)
    {
        using var connection = database.OpenReader();
        return Task.FromResult(query(connection));
    }

    /// <summary>Page cursors are the row sequence of the last item shown, opaque to clients.</summary>
    private static class Cursor
    {
        public static string Encode(long seq) =>
            Convert.ToBase64String(Encoding.ASCII.GetBytes("s" + seq.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

        public static long? Decode(string? cursor)
        {
            if (cursor is null)
            {
                return null;
            }

            try
            {
                var padded = cursor.PadRight(cursor.Length + ((4 - (cursor.Length % 4)) % 4), '=');
                var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
                if (text.StartsWith('s') && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
                {
                    return seq;
                }
            }
            catch (FormatException)
            {
            }

            throw new InvalidCursorException("The cursor is not valid.");
        }
    }
}
