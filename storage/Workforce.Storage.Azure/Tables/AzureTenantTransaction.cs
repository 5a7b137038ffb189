using Azure;
using Azure.Data.Tables;
using Workforce.Core.Agents;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Storage.Azure.Tables;

/// <summary>Another transaction changed a row this one read; the work must run again on fresh data.</summary>
internal sealed class TransactionConflictException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// One tenant's data in its Table partition, with optimistic concurrency. Reads go to the service at once and
/// remember each row's ETag; writes are collected and committed as one entity-group transaction, in which every
/// changed task and agent is conditional on the ETag it was read with. A commit that loses such a race fails as a
/// whole with <see cref="TransactionConflictException"/>, and the store runs the work again.
/// </summary>
internal sealed partial class AzureTenantTransaction(
    AzureStorage storage,
    string tenantId,
    SequenceClock sequence,
    LeaseTurns leaseTurns,
    UsageMetering metering,
    IReadOnlySet<string> meteredBefore,
    TimeProvider clock,
    CancellationToken cancellationToken) : ITenantTransaction, IDisposable
{
    /// <summary>The pending count is spread over this many counter rows, so that concurrent commits rarely update the same one.</summary>
    private const int CounterShards = 32;

    // Most leases take the first candidate, so the first page is small; later pages are larger.
    private const int FirstLeasePage = 4;
    private const int NextLeasePage = 128;

    // One slot of each transaction chunk is kept for the counter row.
    private const int MaxChunkOperations = TableActions.MaxOperations - 1;

    private readonly Dictionary<Guid, StoredTask> _storedTasks = [];
    private readonly Dictionary<Guid, TableEntity> _storedAgents = [];
    private readonly Dictionary<string, TableEntity?> _storedSubmissions = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, TaskChange> _taskChanges = [];
    private readonly Dictionary<Guid, AgentChange> _agentChanges = [];
    private readonly Dictionary<string, IdempotentSubmission> _submissions = new(StringComparer.Ordinal);
    private readonly List<TaskTransition> _recorded = [];
    private readonly List<QueueMessage> _sent = [];
    private readonly List<string> _removedHistory = [];
    private Dictionary<string, TableEntity>? _counters;
    private IDisposable? _leaseTurn;

    private TableClient Table => storage.TenantData;

    /// <summary>The transitions to publish once committed.</summary>
    public IReadOnlyList<TaskTransition> Recorded => _recorded;

    /// <summary>The messages to send once committed: Queue Storage cannot take part in a Table transaction.</summary>
    public IReadOnlyList<QueueMessage> Sent => _sent;

    /// <summary>Keys of removed agents, whose lookup rows are cleaned up after the commit.</summary>
    public IEnumerable<string> RevokedKeys => _agentChanges.Values
        .Where(c => c.Kind == AgentChangeKind.Remove && _storedAgents.ContainsKey(c.Agent.Id))
        .Select(c => TableRows.KeyHash(_storedAgents[c.Agent.Id]));

    /// <summary>Keys of new agents, whose lookup rows must exist before the commit makes the keys valid.</summary>
    public IEnumerable<string> NewKeys => _agentChanges.Values.Where(c => c.Kind == AgentChangeKind.Add).Select(c => c.KeyHash!);

    public async ValueTask<WorkTask?> FindTaskAsync(Guid taskId) =>
        await Table.FindAsync(tenantId, RowKeys.Task(taskId), cancellationToken) is { } row ? Remember(row) : null;

    public async ValueTask<Agent?> FindAgentAsync(Guid agentId)
    {
        if (await Table.FindAsync(tenantId, RowKeys.Agent(agentId), cancellationToken) is not { } row)
        {
            return null;
        }

        _storedAgents[agentId] = row;
        return TableRows.Agent(row);
    }

    /// <summary>Reads the pending copies in key order, which is lease order, a page at a time; takes this process's lease turn first.</summary>
    public async IAsyncEnumerable<WorkTask> PendingTasksInLeaseOrder(DateTimeOffset now)
    {
        _leaseTurn ??= await leaseTurns.TakeAsync(tenantId, cancellationToken);
        var filter = TableFilter.RowsStartingWith(tenantId, RowKeys.PendingPrefix);
        string? next = null;
        var pageSize = FirstLeasePage;
        do
        {
            var page = await Table.QueryPageAsync(filter, pageSize, next, cancellationToken);
            foreach (var row in page.Entities)
            {
                yield return Remember(row);
            }

            (next, pageSize) = (page.Continuation, NextLeasePage);
        }
        while (next is not null);
    }

    public async ValueTask<IReadOnlyList<WorkTask>> TasksHeldByAsync(Guid agentId)
    {
        var pointers = await Collect(Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.HeldBy(agentId)), cancellationToken, select: ["PartitionKey", "RowKey"]));
        var rows = await Task.WhenAll(pointers.Select(p => Table.FindAsync(tenantId, RowKeys.Task(RowKeys.TaskIdOfPointer(p.RowKey)), cancellationToken)));
        return [.. rows.OfType<TableEntity>().Select(Remember).Where(t => t.State.HoldsAgent() && t.AssignedAgentId == agentId).OrderBy(t => _storedTasks[t.Id].Seq)];
    }

    /// <summary>The sum of the counter shards. Not part of the commit's conditions: the queue limit is a soft limit here.</summary>
    public async ValueTask<int> CountPendingTasksAsync()
    {
        var counters = await Collect(Table.QueryAllAsync(TableFilter.RowsStartingWith(tenantId, RowKeys.CounterPrefix), cancellationToken));
        _counters = counters.ToDictionary(c => c.RowKey, StringComparer.Ordinal);
        return (int)counters.Sum(c => c.GetInt64("Pending") ?? 0);
    }

    public async ValueTask<IdempotentSubmission?> FindSubmissionAsync(string idempotencyKey, DateTimeOffset now)
    {
        var rowKey = RowKeys.Submission(idempotencyKey);
        var row = await Table.FindAsync(tenantId, rowKey, cancellationToken);
        _storedSubmissions[rowKey] = row;
        return row is not null && TableRows.Submission(row) is var submission && submission.ExpiresAt > now ? submission : null;
    }

    public void Add(WorkTask task)
    {
        EnsureSameTenant(task);
        _taskChanges[task.Id] = new TaskChange(IsNew: true, task);
    }

    public void Update(WorkTask task)
    {
        EnsureSameTenant(task);
        _taskChanges[task.Id] = _taskChanges.TryGetValue(task.Id, out var earlier) ? earlier with { After = task } : new TaskChange(IsNew: false, task);
    }

    public void Revise(WorkTask task)
    {
        Update(task);
        _taskChanges[task.Id] = _taskChanges[task.Id] with { Revised = true };
    }

    public void Remove(WorkTask task)
    {
        EnsureSameTenant(task);
        if (_taskChanges.TryGetValue(task.Id, out var earlier) && earlier.IsNew)
        {
            _taskChanges.Remove(task.Id);
            return;
        }

        _taskChanges[task.Id] = new TaskChange(IsNew: false, task) { Removed = true };
    }

    public void Add(IdempotentSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        _submissions[RowKeys.Submission(submission.Key)] = submission;
    }

    public void Add(Agent agent, string agentKeyHash)
    {
        EnsureSameTenant(agent);
        _agentChanges[agent.Id] = new AgentChange(AgentChangeKind.Add, agent, agentKeyHash);
    }

    public void Update(Agent agent)
    {
        EnsureSameTenant(agent);
        _agentChanges[agent.Id] = _agentChanges.TryGetValue(agent.Id, out var earlier) && earlier.Kind == AgentChangeKind.Add
            ? earlier with { Agent = agent }
            : new AgentChange(AgentChangeKind.Update, agent, null);
    }

    public void Remove(Agent agent)
    {
        EnsureSameTenant(agent);
        if (_agentChanges.TryGetValue(agent.Id, out var earlier) && earlier.Kind == AgentChangeKind.Add)
        {
            _agentChanges.Remove(agent.Id);
            return;
        }

        _agentChanges[agent.Id] = new AgentChange(AgentChangeKind.Remove, agent, null);
    }

    public void Record(TaskTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        if (transition.TenantId != tenantId)
        {
            throw new InvalidOperationException($"A transaction of tenant {tenantId} cannot write data of tenant {transition.TenantId}.");
        }

        _recorded.Add(transition);
    }

    public void Send(QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _sent.Add(message);
    }

    /// <summary>
    /// Writes every change. Up to 99 row operations commit as one entity-group transaction; a larger transaction
    /// (a bulk insert, an agent holding many tasks) commits in chunks of whole entities, each atomic, in order.
    /// </summary>
    /// <exception cref="TransactionConflictException">A row changed since it was read; nothing was written.</exception>
    /// <exception cref="UsageAlreadyMeteredException">A usage event was metered before; nothing was written.</exception>
    public async Task CommitAsync()
    {
        await LoadBlindWritesAsync();
        var groups = new List<OperationGroup>();
        // First, so that the counters commit in the same chunk as the first changes that caused them.
        if (await UsageOperationsAsync() is { } usage)
        {
            groups.Add(usage);
        }

        groups.AddRange(await NotificationOperationsAsync());
        groups.AddRange(_taskChanges.Values.Select(TaskOperations).OfType<OperationGroup>());
        groups.AddRange(_agentChanges.Values.Select(AgentOperations).OfType<OperationGroup>());
        groups.AddRange(_recorded.Where(t => !IsRemoved(t.TaskId)).Select(t => new OperationGroup([TableActions.Insert(TableRows.Transition(t))], 0)));
        // Unconditional and last: the task's own rows went in its guarded group, and a history row left behind by a
        // commit cut short belongs to no task any more.
        groups.AddRange(_removedHistory.Select(key => new OperationGroup([TableActions.Delete(tenantId, key, ETag.All)], 0)));
        groups.AddRange(_submissions.Select(s => new OperationGroup([SubmissionOperation(s.Key, s.Value)], 0)));
        if (InvoiceOperations() is { } invoices)
        {
            groups.Add(invoices);
        }

        var chunks = Chunk(groups);
        for (var i = 0; i < chunks.Count; i++)
        {
            await CommitChunkAsync(chunks[i], isFirst: i == 0);
        }
    }

    public void Dispose() => _leaseTurn?.Dispose();

    private WorkTask Remember(TableEntity row)
    {
        var task = TableRows.Task(row);
        _storedTasks[task.Id] = new StoredTask(task, TableRows.Seq(row), row.RowKey, row.ETag);
        return task;
    }

    /// <summary>A write without a read in this transaction still needs the stored row: its index rows and sequence.</summary>
    private async Task LoadBlindWritesAsync()
    {
        // Sequentially: the reads record what they saw in dictionaries that are not thread-safe. Only tests write blind.
        foreach (var change in _taskChanges.Values.Where(c => !c.IsNew && !_storedTasks.ContainsKey(c.After.Id)).ToList())
        {
            await FindTaskAsync(change.After.Id);
        }

        foreach (var change in _agentChanges.Values.Where(c => c.Kind != AgentChangeKind.Add && !_storedAgents.ContainsKey(c.Agent.Id)).ToList())
        {
            await FindAgentAsync(change.Agent.Id);
        }

        _removedHistory.Clear();
        foreach (var change in _taskChanges.Values.Where(c => c.Removed))
        {
            var history = TableFilter.RowsStartingWith(tenantId, RowKeys.HistoryOf(change.After.Id));
            _removedHistory.AddRange((await Collect(Table.QueryAllAsync(history, cancellationToken, select: ["PartitionKey", "RowKey"]))).Select(row => row.RowKey));
        }
    }

    /// <summary>
    /// The task row and its copies (list, pending) are written whole; pointer rows (held, done) are added or removed.
    /// The row the task was read from carries its ETag, so a concurrent change of the task fails this commit;
    /// every writer of a task rewrites its task row and, while it is pending, its pending row, so either guards.
    /// </summary>
    private OperationGroup? TaskOperations(TaskChange change)
    {
        var before = change.IsNew ? null : _storedTasks.GetValueOrDefault(change.After.Id);
        if (!change.IsNew && before is null)
        {
            return null; // an update of a task that does not exist changes nothing, as an UPDATE without a row
        }

        var after = change.After;
        ETag Guard(string rowKey) => before is not null && rowKey == before.GuardRowKey ? before.GuardETag : ETag.All;
        if (change.Removed)
        {
            return RemovalOperations(before!, Guard);
        }

        // A revised priority is a new place in line, at the end of the new priority's, as for a new submission.
        var seq = before is null || (change.Revised && before.Task.Priority != after.Priority) ? sequence.Next() : before.Seq;

        var operations = new List<TableTransactionAction>
        {
            before is null ? TableActions.Insert(TableRows.Task(RowKeys.Task(after.Id), after, seq))
                : TableActions.Replace(TableRows.Task(RowKeys.Task(after.Id), after, seq), Guard(RowKeys.Task(after.Id))),
        };
        var copiesBefore = before is null ? [] : CopyKeys(before.Task, before.Seq);
        var copiesAfter = CopyKeys(after, seq);
        operations.AddRange(copiesAfter.Select(key => copiesBefore.Contains(key)
            ? TableActions.Replace(TableRows.Task(key, after, seq), Guard(key))
            : TableActions.Insert(TableRows.Task(key, after, seq))));
        operations.AddRange(copiesBefore.Except(copiesAfter).Select(key => TableActions.Delete(tenantId, key, Guard(key))));

        var pointersBefore = before is null ? [] : PointerKeys(before.Task);
        var pointersAfter = PointerKeys(after);
        operations.AddRange(pointersAfter.Except(pointersBefore).Select(key => TableActions.Insert(new TableEntity(tenantId, key))));
        operations.AddRange(pointersBefore.Except(pointersAfter).Select(key => TableActions.Delete(tenantId, key, ETag.All)));

        var pendingDelta = (after.State == TaskState.Pending ? 1 : 0) - (before?.Task.State == TaskState.Pending ? 1 : 0);
        return new OperationGroup(operations, pendingDelta);
    }

    /// <summary>The task row, its copies (guarded as an update is) and its pointers; the history goes after, unconditionally.</summary>
    private OperationGroup RemovalOperations(StoredTask before, Func<string, ETag> guard)
    {
        var operations = new List<TableTransactionAction> { TableActions.Delete(tenantId, RowKeys.Task(before.Task.Id), guard(RowKeys.Task(before.Task.Id))) };
        operations.AddRange(CopyKeys(before.Task, before.Seq).Select(key => TableActions.Delete(tenantId, key, guard(key))));
        operations.AddRange(PointerKeys(before.Task).Select(key => TableActions.Delete(tenantId, key, ETag.All)));
        return new OperationGroup(operations, before.Task.State == TaskState.Pending ? -1 : 0);
    }

    private bool IsRemoved(Guid taskId) => _taskChanges.TryGetValue(taskId, out var change) && change.Removed;

    private static HashSet<string> CopyKeys(WorkTask task, long seq) => task.State == TaskState.Pending
        ? [RowKeys.List(seq, task.Id), RowKeys.Pending(task.Priority, seq, task.Id)]
        : [RowKeys.List(seq, task.Id)];

    private static HashSet<string> PointerKeys(WorkTask task)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (task.State.HoldsAgent() && task.AssignedAgentId is { } agentId)
        {
            keys.Add(RowKeys.Held(agentId, task.Id));
        }

        if (task.CompletedAt is { } completedAt)
        {
            keys.Add(RowKeys.Done(completedAt, task.Id));
        }

        return keys;
    }

    private OperationGroup? AgentOperations(AgentChange change)
    {
        var agent = change.Agent;
        if (change.Kind == AgentChangeKind.Add)
        {
            return new OperationGroup(
                [TableActions.Insert(TableRows.Agent(agent, sequence.Next(), change.KeyHash!)), TableActions.Insert(TableRows.Key(tenantId, change.KeyHash!, agent.Id))], 0);
        }

        if (!_storedAgents.TryGetValue(agent.Id, out var stored))
        {
            return null;
        }

        return change.Kind == AgentChangeKind.Update
            ? new OperationGroup([TableActions.Replace(TableRows.Agent(agent, TableRows.Seq(stored), TableRows.KeyHash(stored)), stored.ETag)], 0)
            : new OperationGroup([TableActions.Delete(tenantId, stored.RowKey, stored.ETag), TableActions.Delete(tenantId, RowKeys.Key(TableRows.KeyHash(stored)), ETag.All)], 0);
    }

    /// <summary>A key seen absent is inserted (so a concurrent first use of it conflicts), one seen expired is replaced.</summary>
    private TableTransactionAction SubmissionOperation(string rowKey, IdempotentSubmission submission)
    {
        var entity = TableRows.Submission(tenantId, submission);
        return _storedSubmissions.TryGetValue(rowKey, out var stored)
            ? stored is null ? TableActions.Insert(entity) : TableActions.Replace(entity, stored.ETag)
            : TableActions.Upsert(entity);
    }

    private static List<OperationGroup> Chunk(List<OperationGroup> groups)
    {
        var chunks = new List<OperationGroup>();
        var operations = new List<TableTransactionAction>();
        var delta = 0;
        foreach (var group in groups)
        {
            if (operations.Count + group.Operations.Count > MaxChunkOperations)
            {
                chunks.Add(new OperationGroup(operations, delta));
                (operations, delta) = ([], 0);
            }

            operations.AddRange(group.Operations);
            delta += group.PendingDelta;
        }

        if (operations.Count > 0)
        {
            chunks.Add(new OperationGroup(operations, delta));
        }

        return chunks;
    }

    private async Task CommitChunkAsync(OperationGroup chunk, bool isFirst)
    {
        for (var attempt = 1; ; attempt++)
        {
            var operations = chunk.Operations;
            if (chunk.PendingDelta != 0)
            {
                operations = [.. operations, await CounterOperationAsync(chunk.PendingDelta, reuseRead: isFirst && attempt == 1)];
            }

            try
            {
                await Table.SubmitTransactionAsync(operations, cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (isFirst && IsUsageEventKept(e, operations, out var rowKey))
            {
                throw new UsageAlreadyMeteredException(rowKey, e);
            }
            catch (TableTransactionFailedException e) when (e.IsConflict())
            {
                // Counters only add: when nothing but the counter row moved, count again on its new value.
                if (chunk.PendingDelta != 0 && e.FailedTransactionActionIndex == operations.Count - 1 && attempt < 10)
                {
                    continue;
                }

                if (!isFirst)
                {
                    throw new InvalidOperationException(
                        $"A transaction of more than {MaxChunkOperations} row operations conflicted after its first chunks had committed: {e.Message}", e);
                }

                throw new TransactionConflictException($"Tenant {tenantId} changed while this transaction ran: {e.Message}", e);
            }
        }
    }

    /// <param name="reuseRead">Use the shard as the pending count read it, if it did (a submission always counts first), saving a request.</param>
    private async Task<TableTransactionAction> CounterOperationAsync(int delta, bool reuseRead)
    {
        var rowKey = RowKeys.Counter(Random.Shared.Next(CounterShards));
        var stored = reuseRead && _counters is not null
            ? _counters.GetValueOrDefault(rowKey)
            : await Table.FindAsync(tenantId, rowKey, cancellationToken);
        var counter = new TableEntity(tenantId, rowKey);
        counter.Set("Pending", (stored?.GetInt64("Pending") ?? 0) + delta);
        return stored is null ? TableActions.Insert(counter) : TableActions.Replace(counter, stored.ETag);
    }

    private void EnsureSameTenant(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        EnsureSameTenant(task.TenantId);
    }

    private void EnsureSameTenant(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        EnsureSameTenant(agent.TenantId);
    }

    private void EnsureSameTenant(string entityTenantId)
    {
        if (!string.Equals(entityTenantId, tenantId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A transaction of tenant {tenantId} cannot write data of tenant {entityTenantId}.");
        }
    }

    private static async Task<List<TableEntity>> Collect(IAsyncEnumerable<TableEntity> rows)
    {
        var list = new List<TableEntity>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }

        return list;
    }

    /// <summary>A task as read, with the row it was read from (task row or pending copy) and that row's ETag.</summary>
    private sealed record StoredTask(WorkTask Task, long Seq, string GuardRowKey, ETag GuardETag);

    private sealed record TaskChange(bool IsNew, WorkTask After)
    {
        /// <summary>Changed by <see cref="Revise"/>: a changed priority takes a new place in line.</summary>
        public bool Revised { get; init; }

        public bool Removed { get; init; }
    }

    private enum AgentChangeKind
    {
        Add,
        Update,
        Remove,
    }

    private sealed record AgentChange(AgentChangeKind Kind, Agent Agent, string? KeyHash);

    private sealed record OperationGroup(IReadOnlyList<TableTransactionAction> Operations, int PendingDelta);
}
