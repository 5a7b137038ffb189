using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Workforce.Core.Agents;
using Workforce.Core.Billing;
using Workforce.Core.Metrics;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;
using Workforce.Core.Tasks;
using Workforce.Core.Telemetry;
using Workforce.Core.Usage;
using ETag = Azure.ETag;
using RequestFailedException = Azure.RequestFailedException;
namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// <see cref="IWorkforceStore"/> on Azure Table Storage: one partition per tenant, so that a task, its index rows,
/// its history and the agent that takes it change in one entity-group transaction. Transactions are optimistic
/// (<see cref="AzureTenantTransaction"/>) and re-run on a conflict. Messages a transaction sends go out after its
/// commit: Queue Storage cannot join a Table transaction, so a crash between the two loses the message (at most once).
/// Each transaction's latency until its commit, re-runs included, goes to <see cref="WorkforceMeter"/> when there is one.
/// </summary>
internal sealed partial class AzureWorkforceStore(
    AzureStorage storage,
    AzureTenantDirectory directory,
    TenantRegistry tenants,
    IWorkQueues queues,
    TaskChangeFeed changes,
    UsageMetering metering,
    TimeProvider clock,
    ILogger<AzureWorkforceStore> logger,
    WorkforceMeter? meter = null) : IWorkforceStore
{
    private const string DbSystem = "azure.tables";

    private const int MaxAttempts = 10;

    /// <summary>A filtered list reads at most this many pages per request and returns what it found with a cursor.</summary>
    private const int MaxPagesPerList = 10;

    private readonly SequenceClock _sequence = new(clock);
    private readonly LeaseTurns _leaseTurns = new();

    private TableClient Table => storage.TenantData;

    public async Task<T> TransactAsync<T>(string tenantId, Func<ITenantTransaction, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = WorkforceTraces.Source.StartActivity("store.transaction");
        span?.SetTag("db.system.name", DbSystem);
        var started = clock.GetTimestamp();
        var committed = false;
        var meteredBefore = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                span?.SetTag("workforce.store.attempts", attempt);
                using var transaction = new AzureTenantTransaction(storage, tenantId, _sequence, _leaseTurns, metering, meteredBefore, clock, cancellationToken);
                var result = await work(transaction);
                try
                {
                    await Task.WhenAll(transaction.NewKeys.Select(key => directory.AddLookupAsync(tenantId, key, cancellationToken)));
                    await transaction.CommitAsync();
                }
                catch (TransactionConflictException) when (attempt < MaxAttempts)
                {
                    // Jittered, so that the transactions that collided do not collide again in step.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), clock, cancellationToken);
                    continue;
                }
                catch (UsageAlreadyMeteredException e) when (meteredBefore.Add(e.RowKey))
                {
                    continue;
                }

                // Timed at the commit: the messages sent after it are not the transaction's latency.
                committed = true;
                meter?.RecordStoreCommit(DbSystem, clock.GetElapsedTime(started), committed: true);
                changes.Publish(transaction.Recorded);
                await AfterCommitAsync(transaction, cancellationToken);
                return result;
            }
        }
        finally
        {
            if (!committed)
            {
                meter?.RecordStoreCommit(DbSystem, clock.GetElapsedTime(started), committed: false);
            }
        }
    }

    public async Task<WorkTask?> FindTaskAsync(string tenantId, Guid taskId, CancellationToken cancellationToken = default) =>
        await Table.FindAsync(tenantId, RowKeys.Task(taskId), cancellationToken) is { } row ? TableRows.Task(row) : null;

    /// <summary>
    /// The list copies are in newest-first key order; filters run in the service, a page at a time. A cursor is
    /// the row key to go on from, and when the scan stopped between matches, the service's continuation too.
    /// </summary>
    public async Task<Page<WorkTask>> ListTasksAsync(string tenantId, TaskFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var (from, next) = ListCursor.Tasks.Decode(page.Cursor);
        var query = TableFilter.RowsFrom(tenantId, RowKeys.ListPrefix, from);
        if (filter.State is { } state)
        {
            query = TableFilter.And(query, TableFilter.Equal("State", (int)state));
        }

        if (filter.Priority is { } priority)
        {
            query = TableFilter.And(query, TableFilter.Equal("Priority", (int)priority));
        }

        if (filter.AgentId is { } agentId)
        {
            query = TableFilter.And(query, TableFilter.Equal("AgentId", agentId.ToString("N")));
        }

        var (rows, cursor) = await ReadListAsync(ListCursor.Tasks, query, from, next, page.Limit, cancellationToken);
        return new Page<WorkTask>([.. rows.Select(TableRows.Task)], cursor);
    }

    public async Task<Agent?> FindAgentAsync(string tenantId, Guid agentId, CancellationToken cancellationToken = default) =>
        await Table.FindAsync(tenantId, RowKeys.Agent(agentId), cancellationToken) is { } row ? TableRows.Agent(row) : null;

    /// <summary>
    /// Reads all of the tenant's agents and pages in memory: a tenant has hundreds of agents, not millions, and the
    /// capability filter (a JSON array) cannot run in the service.
    /// </summary>
    public async Task<Page<Agent>> ListAgentsAsync(string tenantId, AgentFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var after = page.Cursor is null ? 0 : long.Parse(PageCursors.Decode("agents", page.Cursor), System.Globalization.CultureInfo.InvariantCulture);
        var agents = new List<(long Seq, Agent Agent)>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.AgentPrefix), cancellationToken))
        {
            var agent = TableRows.Agent(row);
            var seq = TableRows.Seq(row);
            if (seq > after && (filter.Status is null || agent.Status == filter.Status) && (filter.Capability is null || agent.HasCapability(filter.Capability)))
            {
                agents.Add((seq, agent));
            }
        }

        agents.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return agents.Count > page.Limit
            ? new Page<Agent>([.. agents.Take(page.Limit).Select(a => a.Agent)],
                PageCursors.Encode("agents", agents[page.Limit - 1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : new Page<Agent>([.. agents.Select(a => a.Agent)], null);
    }

    /// <summary>
    /// Pending counts come from the lease-order copies (their key starts with the priority); assigned and running
    /// from a server-side filter over the partition's task rows. Only the properties counted are read.
    /// </summary>
    public async Task<TaskCounts> CountTasksAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var pending = new Dictionary<TaskPriority, int>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.PendingPrefix), cancellationToken, select: ["PartitionKey", "RowKey"]))
        {
            var priority = RowKeys.PriorityOfPending(row.RowKey);
            pending[priority] = pending.GetValueOrDefault(priority) + 1;
        }

        int assigned = 0, running = 0;
        var held = TableFilter.And(TableFilter.RowsStartingWith(tenantId, RowKeys.TaskPrefix),
            $"({TableFilter.Equal("State", (int)TaskState.Assigned)} or {TableFilter.Equal("State", (int)TaskState.Running)})");
        await foreach (var row in Table.QueryAllAsync(held, cancellationToken, select: ["PartitionKey", "RowKey", "State"]))
        {
            _ = (TaskState)row.GetInt32("State")!.Value == TaskState.Assigned ? assigned++ : running++;
        }

        return new TaskCounts(pending, assigned, running);
    }

    public async Task<IReadOnlyList<TaskTransition>> GetTaskHistoryAsync(string tenantId, Guid taskId, CancellationToken cancellationToken = default)
    {
        var history = new List<TaskTransition>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.HistoryOf(taskId)), cancellationToken))
        {
            history.Add(TableRows.Transition(row));
        }

        return history;
    }

    /// <summary>Each tenant's held pointers, then the tasks they point to.</summary>
    public async Task<IReadOnlyList<WorkTask>> ListHeldTasksAsync(CancellationToken cancellationToken = default)
    {
        var held = new List<WorkTask>();
        await foreach (var tenantId in tenants.AllAsync(cancellationToken))
        {
            await foreach (var pointer in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.HeldPrefix), cancellationToken, select: ["PartitionKey", "RowKey"]))
            {
                if (await FindTaskAsync(tenantId, RowKeys.TaskIdOfPointer(pointer.RowKey), cancellationToken) is { } task)
                {
                    held.Add(task);
                }
            }
        }

        return held;
    }

    public async Task<IReadOnlyList<AgentRef>> FindSilentAgentsAsync(DateTimeOffset heardBefore, int limit, CancellationToken cancellationToken = default)
    {
        var silent = new List<(DateTimeOffset HeardAt, AgentRef Agent)>();
        await foreach (var tenantId in tenants.AllAsync(cancellationToken))
        {
            var query = TableFilter.And(TableFilter.RowsStartingWith(tenantId, RowKeys.AgentPrefix),
                TableFilter.And(TableFilter.NotEqual("Status", (int)AgentStatus.Offline), TableFilter.Below("LastHeartbeatAt", heardBefore.UtcTicks)));
            await foreach (var row in Table.QueryAllAsync(query, cancellationToken))
            {
                var agent = TableRows.Agent(row);
                silent.Add((agent.LastHeartbeatAt!.Value, new AgentRef(tenantId, agent.Id)));
            }
        }

        return [.. silent.OrderBy(s => s.HeardAt).Take(limit).Select(s => s.Agent)];
    }

    /// <summary>Walks each tenant's done pointers, oldest first; each task goes with all its rows, history included.</summary>
    public async Task<int> PurgeFinishedTasksAsync(DateTimeOffset finishedBefore, int limit, CancellationToken cancellationToken = default)
    {
        var purged = 0;
        await foreach (var tenantId in tenants.AllAsync(cancellationToken))
        {
            var query = TableFilter.RowsBetween(tenantId, RowKeys.DonePrefix, RowKeys.DoneBefore(finishedBefore));
            var page = await Table.QueryPageAsync(query, limit - purged, continuation: null, cancellationToken);
            foreach (var pointer in page.Entities)
            {
                await PurgeTaskAsync(tenantId, RowKeys.TaskIdOfPointer(pointer.RowKey), pointer.RowKey, cancellationToken);
                purged++;
            }

            if (purged >= limit)
            {
                break;
            }
        }

        return purged;
    }

    public async Task<Subscription?> FindSubscriptionAsync(string tenantId, CancellationToken cancellationToken = default) =>
        await Table.FindAsync(tenantId, RowKeys.Tenant, cancellationToken) is { } row
            ? TableRows.Subscription(row) ?? metering.DefaultSubscription(tenantId, TableRows.Tenant(row).CreatedAt)
            : null;

    public async Task<PeriodUsage> FindUsageAsync(string tenantId, DateTimeOffset periodStart, CancellationToken cancellationToken = default) =>
        TableRows.UsageAt(periodStart, await Table.FindLatestUsageAsync(tenantId, periodStart, cancellationToken));

    public async IAsyncEnumerable<UsageEvent> QueryUsageAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = TableFilter.RowsBetween(tenantId, RowKeys.UsageEventsFrom(from), RowKeys.UsageEventsFrom(to));
        await foreach (var row in Table.QueryAllAsync(query, cancellationToken))
        {
            if (TableRows.UsageEvent(row) is { } usage)
            {
                yield return usage;
            }
        }
    }

    public async Task<Invoice?> FindInvoiceAsync(string tenantId, string invoiceId, CancellationToken cancellationToken = default) =>
        await Table.FindAsync(tenantId, RowKeys.Invoice(invoiceId), cancellationToken) is { } row ? TableRows.Invoice(row) : null;

    /// <summary>A tenant has an invoice a period, a dozen a year: all are read and the newest returned.</summary>
    public async Task<IReadOnlyList<Invoice>> ListInvoicesAsync(string tenantId, int limit, CancellationToken cancellationToken = default)
    {
        var invoices = new List<Invoice>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.InvoicePrefix), cancellationToken))
        {
            invoices.Add(TableRows.Invoice(row));
        }

        return [.. invoices.OrderByDescending(i => i.Period.Start).Take(limit)];
    }

    public async Task<int> PurgeUsageEventsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        var purged = 0;
        await foreach (var tenantId in tenants.AllAsync(cancellationToken))
        {
            var query = TableFilter.RowsBetween(tenantId, RowKeys.UsageEventPrefix, RowKeys.UsageEventsFrom(before));
            var page = await Table.QueryPageAsync(query, Math.Min(limit - purged, TableActions.MaxOperations), continuation: null, cancellationToken);
            if (page.Entities.Count > 0)
            {
                await Table.SubmitTransactionAsync([.. page.Entities.Select(e => TableActions.Delete(tenantId, e.RowKey, ETag.All))], cancellationToken);
                purged += page.Entities.Count;
            }

            if (purged >= limit)
            {
                break;
            }
        }

        return purged;
    }

    public async Task<int> PurgeExpiredSubmissionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var purged = 0;
        await foreach (var tenantId in tenants.AllAsync(cancellationToken))
        {
            var query = TableFilter.And(TableFilter.RowsStartingWith(tenantId, RowKeys.SubmissionPrefix), TableFilter.AtMost("ExpiresAt", now.UtcTicks));
            var page = await Table.QueryPageAsync(query, Math.Min(limit - purged, TableActions.MaxOperations), continuation: null, cancellationToken);
            if (page.Entities.Count > 0)
            {
                await Table.SubmitTransactionAsync([.. page.Entities.Select(e => TableActions.Delete(tenantId, e.RowKey, e.ETag))], cancellationToken);
                purged += page.Entities.Count;
            }

            if (purged >= limit)
            {
                break;
            }
        }

        return purged;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> rows of a list query, from <paramref name="from"/> or where the scan stopped
    /// (<paramref name="next"/>), reading at most <see cref="MaxPagesPerList"/> pages; and the cursor to the rest.
    /// </summary>
    private async Task<(IReadOnlyList<TableEntity> Rows, string? Cursor)> ReadListAsync(
        ListCursor list, string query, string from, string? next, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        for (var pages = 0; pages < MaxPagesPerList && rows.Count <= limit; pages++)
        {
            var result = await Table.QueryPageAsync(query, limit + 1 - rows.Count, next, cancellationToken);
            rows.AddRange(result.Entities);
            if ((next = result.Continuation) is null)
            {
                break;
            }
        }

        // The next page starts at the row after this one, or goes on with the same query where the scan stopped.
        var cursor = rows.Count > limit ? list.Encode(rows[limit].RowKey, continuation: null)
            : next is null ? null
            : list.Encode(from, next);
        return ([.. rows.Take(limit)], cursor);
    }

    private async Task PurgeTaskAsync(string tenantId, Guid taskId, string donePointer, CancellationToken cancellationToken)
    {
        var operations = new List<TableTransactionAction>();
        await foreach (var row in Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.HistoryOf(taskId)), cancellationToken, select: ["PartitionKey", "RowKey"]))
        {
            operations.Add(TableActions.Delete(tenantId, row.RowKey, ETag.All));
        }

        if (await Table.FindAsync(tenantId, RowKeys.Task(taskId), cancellationToken) is { } task)
        {
            await ReleaseStorageAsync(TableRows.Task(task), cancellationToken);
            operations.Add(TableActions.Delete(tenantId, RowKeys.List(TableRows.Seq(task), taskId), ETag.All));
            operations.Add(TableActions.Delete(tenantId, task.RowKey, task.ETag));
        }

        operations.Add(TableActions.Delete(tenantId, donePointer, ETag.All));
        // History first and the done pointer last: a purge cut short is found again by its pointer and finished.
        foreach (var chunk in operations.Chunk(TableActions.MaxOperations))
        {
            await Table.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    /// <summary>
    /// Gives back the bytes the task kept, before its rows go: the event is named by the task and timed by its
    /// finishing, so a purge that is cut short and runs again gives them back once.
    /// </summary>
    private Task ReleaseStorageAsync(WorkTask task, CancellationToken cancellationToken)
    {
        var bytes = (task.Payload?.Utf8Length ?? 0) + (task.Result?.Utf8Length ?? 0);
        return bytes == 0 ? Task.CompletedTask : TransactAsync(task.TenantId, tx =>
        {
            tx.Meter(UsageEvent.Freed(task.Id, bytes, task.CompletedAt ?? task.UpdatedAt));
            return ValueTask.FromResult(true);
        }, cancellationToken);
    }

    private async Task AfterCommitAsync(AzureTenantTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var message in transaction.Sent)
        {
            try
            {
                await queues.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (e is StorageUnavailableException or RequestFailedException)
            {
                LogMessageLost(logger, e, message.MessageId, message.Queue);
            }
        }

        foreach (var key in transaction.RevokedKeys)
        {
            await directory.RemoveLookupAsync(key, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Committed, but message {MessageId} could not be sent to {Queue}; it is lost")]
    private static partial void LogMessageLost(ILogger logger, Exception exception, string messageId, string queue);
}
