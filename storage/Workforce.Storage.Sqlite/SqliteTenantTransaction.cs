using Microsoft.Data.Sqlite;
using Workforce.Core.Agents;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// One tenant's data on the writer's connection, inside the current group commit. Every statement runs at once
/// and synchronously, so the work a use case hands to <see cref="SqliteWorkforceStore.TransactAsync{T}"/> never
/// really waits.
/// </summary>
internal sealed partial class SqliteTenantTransaction(CommandCache commands, string tenantId, SqliteWorkQueues queues, UsageMetering metering, TimeProvider clock) : ITenantTransaction
{
    private readonly List<TaskTransition> _recorded = [];

    // Most leases take the first candidate, so the first page is small; later pages are larger.
    private static readonly LeasePage FirstLeasePage = new(4, First: true);
    private static readonly LeasePage NextLeasePage = new(128, First: false);

    public ValueTask<WorkTask?> FindTaskAsync(Guid taskId)
    {
        var command = commands.Get(Sql.FindTask);
        command.Parameters.AddWithValue("$id", taskId);
        command.Parameters.AddWithValue("$tenant", tenantId);
        return ValueTask.FromResult(command.ReadOne(Rows.ReadTask));
    }

    public ValueTask<Agent?> FindAgentAsync(Guid agentId)
    {
        var command = commands.Get(Sql.FindAgent);
        command.Parameters.AddWithValue("$id", agentId);
        command.Parameters.AddWithValue("$tenant", tenantId);
        return ValueTask.FromResult(command.ReadOne(Rows.ReadAgent));
    }

    public IAsyncEnumerable<WorkTask> PendingTasksInLeaseOrder(DateTimeOffset now) => PendingInLeaseOrder(now).ToAsyncEnumerable();

    public ValueTask<IReadOnlyList<WorkTask>> TasksHeldByAsync(Guid agentId)
    {
        var command = commands.Get(Sql.TasksHeldBy);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$agent", agentId);
        return ValueTask.FromResult<IReadOnlyList<WorkTask>>(command.ReadAll(Rows.ReadTask));
    }

    public ValueTask<int> CountPendingTasksAsync()
    {
        var command = commands.Get(Sql.PendingCount);
        command.Parameters.AddWithValue("$tenant", tenantId);
        return ValueTask.FromResult(command.ExecuteScalar() is long count ? (int)count : 0);
    }

    public ValueTask<IdempotentSubmission?> FindSubmissionAsync(string idempotencyKey, DateTimeOffset now)
    {
        var command = commands.Get(Sql.FindSubmission);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$key", idempotencyKey);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        return ValueTask.FromResult(command.ReadOne(row =>
            new IdempotentSubmission(row.GetString(0), row.GetGuid(1), row.GetString(2), new DateTimeOffset(row.GetInt64(3), TimeSpan.Zero))));
    }

    public void Add(WorkTask task) => Write(Sql.InsertTask, task);

    public void Update(WorkTask task) => Write(Sql.UpdateTask, task);

    public void Revise(WorkTask task) => Write(Sql.ReviseTask, task);

    public void Remove(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        EnsureSameTenant(task.TenantId);
        foreach (var sql in (ReadOnlySpan<string>)[Sql.RemoveTaskHistory, Sql.RemoveTask])
        {
            var command = commands.Get(sql);
            command.Parameters.AddWithValue("$id", task.Id);
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.ExecuteNonQuery();
        }
    }

    public void Add(IdempotentSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var command = commands.Get(Sql.UpsertSubmission);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$key", submission.Key);
        command.Parameters.AddWithValue("$task", submission.TaskId);
        command.Parameters.AddWithValue("$fingerprint", submission.Fingerprint);
        command.Parameters.AddWithValue("$expires", submission.ExpiresAt.UtcTicks);
        command.ExecuteNonQuery();
    }

    public void Add(Agent agent, string agentKeyHash)
    {
        ArgumentNullException.ThrowIfNull(agent);
        Write(Sql.InsertAgent, agent);
        var key = commands.Get(Sql.InsertKey);
        key.Parameters.AddWithValue("$hash", agentKeyHash);
        key.Parameters.AddWithValue("$tenant", tenantId);
        key.Parameters.AddWithValue("$agent", agent.Id);
        key.Parameters.AddWithValue("$created", agent.RegisteredAt.UtcTicks);
        key.ExecuteNonQuery();
    }

    public void Update(Agent agent) => Write(Sql.UpdateAgent, agent);

    /// <summary>The transitions this transaction recorded, to publish once it has committed.</summary>
    public IReadOnlyList<TaskTransition> Recorded => _recorded;

    public bool SentMessages { get; private set; }

    public void Record(TaskTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        EnsureSameTenant(transition.TenantId);
        var command = commands.Get(Sql.InsertTransition);
        Rows.BindTransition(command.Parameters, transition);
        command.ExecuteNonQuery();
        _recorded.Add(transition);
    }

    public void Send(QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        SqliteWorkQueues.Insert(commands, message, queues.Definition(message.Queue), clock.GetUtcNow());
        SentMessages = true;
    }

    public void Remove(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var delete = commands.Get(Sql.DeleteAgent);
        delete.Parameters.AddWithValue("$id", agent.Id);
        delete.Parameters.AddWithValue("$tenant", tenantId);
        delete.ExecuteNonQuery();
        var revoke = commands.Get(Sql.DeleteAgentKeys);
        revoke.Parameters.AddWithValue("$id", agent.Id);
        revoke.ExecuteNonQuery();
    }

    /// <summary>Pages of the lease index, which is kept in lease order; the first page is small because most leases take its first task.</summary>
    private IEnumerable<WorkTask> PendingInLeaseOrder(DateTimeOffset now)
    {
        WorkTask? last = null;
        var lastSeq = 0L;
        for (var page = FirstLeasePage; ; page = NextLeasePage)
        {
            var command = commands.Get(page.Sql);
            command.Parameters.AddWithValue("$tenant", tenantId);
            command.Parameters.AddWithValue("$now", now.UtcTicks);
            if (last is not null)
            {
                command.Parameters.AddWithValue("$afterPriority", (int)last.Priority);
                command.Parameters.AddWithValue("$afterSeq", lastSeq);
            }

            var rows = command.ReadAll(row => (Seq: row.GetInt64(0), Task: Rows.ReadTask(row)));
            foreach (var (seq, task) in rows)
            {
                (last, lastSeq) = (task, seq);
                yield return task;
            }

            if (rows.Count < page.Size)
            {
                yield break;
            }
        }
    }

    private void Write(string sql, WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        EnsureSameTenant(task.TenantId);
        var command = commands.Get(sql);
        Rows.BindTask(command.Parameters, task);
        command.ExecuteNonQuery();
    }

    private void Write(string sql, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        EnsureSameTenant(agent.TenantId);
        var command = commands.Get(sql);
        Rows.BindAgent(command.Parameters, agent);
        command.ExecuteNonQuery();
    }

    private void EnsureSameTenant(string entityTenantId)
    {
        if (!string.Equals(entityTenantId, tenantId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A transaction of tenant {tenantId} cannot write data of tenant {entityTenantId}.");
        }
    }

    private sealed record LeasePage(int Size, bool First)
    {
        public string Sql { get; } = Sqlite.Sql.PendingPage(Size, First);
    }
}
