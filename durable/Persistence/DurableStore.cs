using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workforce.Durable.History;
using Workforce.Durable.Runtime;
using Workforce.Orchestrations;
using Workforce.Storage.Sqlite;

namespace Workforce.Durable.Persistence;

/// <summary>
/// The engine's durable state in the platform's SQLite file. Every change an episode, an activity or a client call
/// makes is one transaction through the file's group-commit writer, so a crash leaves either all of it or none.
/// </summary>
internal sealed class DurableStore(SqliteDatabase database)
{
    private static readonly JsonSerializerOptions Json = WorkflowJson.Options;

    private static readonly string TerminalStatuses = string.Join(", ", RuntimeStatuses.Finished.Select(s => (int)s));

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        database.Writer.WriteAsync(commands =>
        {
            SchemaMigrator.Apply(commands.Connection, DurableSchema.Component, DurableSchema.Migrations);
            return 0;
        }, cancellationToken);

    public IReadOnlyList<ActiveInstance> LoadActiveInstances() => Read(
        "SELECT instance_id, name, execution_id, status, custom_status, parent, trace_parent FROM durable_instances WHERE status IN (0, 6)",
        null, row => new ActiveInstance(row.GetString(0), row.GetString(1), row.GetString(2), (OrchestrationRuntimeStatus)row.GetInt32(3),
            NullableString(row, 4), NullableString(row, 5) is { } parent ? JsonSerializer.Deserialize<ParentInstance>(parent, Json) : null)
        {
            TraceParent = NullableString(row, 6),
        });

    public IReadOnlyList<InboxMessage> LoadInbox() => Read(
        "SELECT id, instance_id, execution_id, visible_at, event FROM durable_inbox ORDER BY id", null, ReadMessage);

    public IReadOnlyList<ActivityWorkItem> LoadActivities() => Read(
        "SELECT id, instance_id, execution_id, task_id, name, input FROM durable_activities ORDER BY id", null, ReadActivity);

    public IReadOnlyList<HistoryEvent> LoadHistory(string instanceId) => Read(
        "SELECT event FROM durable_history WHERE instance_id = $id ORDER BY seq",
        command => command.Parameters.AddWithValue("$id", instanceId), row => Deserialize(row.GetString(0)));

    /// <summary>Creates (or restarts a finished) instance with its start message; null when an active one holds the id.</summary>
    /// <param name="traceParent">The W3C traceparent the instance is started in, kept with it for its episodes after a restart.</param>
    public Task<InboxMessage?> CreateInstanceAsync(string instanceId, string name, string? input, string? traceParent, DateTime visibleAt, DateTime now) =>
        database.Writer.WriteAsync(commands => CreateInstance(commands, instanceId, name, input, parent: null, traceParent, visibleAt, now));

    /// <summary>Queues an event for an active instance; null when the instance does not exist or has finished.</summary>
    public Task<InboxMessage?> EnqueueForActiveAsync(string instanceId, HistoryEvent message, DateTime now) =>
        database.Writer.WriteAsync(commands => EnqueueForActive(commands, instanceId, message, now));

    public Task<EpisodeCommitted> CommitEpisodeAsync(EpisodeCommit episode)
    {
        // Serialized before the write is queued: the one writer thread runs every write of the file, so it should
        // spend its time on the database only.
        var history = episode.NewHistory.Select(Serialize).ToList();
        return database.Writer.WriteAsync(commands => CommitEpisode(commands, episode, history));
    }

    /// <summary>Deletes messages that no longer mean anything (results and timers of an execution that continued as new).</summary>
    public Task DiscardMessagesAsync(IReadOnlyList<InboxMessage> messages) =>
        database.Writer.WriteAsync(commands =>
        {
            DeleteConsumed(commands, messages);
            return messages.Count;
        });

    public OrchestrationMetadata? Get(string instanceId, bool withInputsAndOutputs) =>
        Read($"SELECT {MetadataColumns} FROM durable_instances WHERE instance_id = $id",
            command => command.Parameters.AddWithValue("$id", instanceId), row => ReadMetadata(row, withInputsAndOutputs)).SingleOrDefault();

    /// <exception cref="ArgumentException">The continuation token was not issued by this engine.</exception>
    public Page<OrchestrationMetadata> Query(OrchestrationQuery query, string? continuationToken, int pageSize)
    {
        var after = ContinuationToken.Decode(continuationToken);
        var page = Read(null, command =>
        {
            var sql = new StringBuilder($"SELECT {MetadataColumns} FROM durable_instances WHERE 1 = 1");
            var p = command.Parameters;
            if (query.InstanceIdPrefix is { } prefix)
            {
                sql.Append(" AND instance_id >= $prefix AND instance_id < $prefixEnd");
                p.AddWithValue("$prefix", prefix);
                p.AddWithValue("$prefixEnd", prefix + '\uffff');
            }

            if (query.Statuses?.ToList() is { Count: > 0 } statuses)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND status IN ({string.Join(", ", statuses.Select(s => (int)s))})");
            }

            if (query.CreatedFrom is { } from)
            {
                sql.Append(" AND created_at >= $from");
                p.AddWithValue("$from", from.UtcTicks);
            }

            if (query.CreatedTo is { } to)
            {
                sql.Append(" AND created_at < $to");
                p.AddWithValue("$to", to.UtcTicks);
            }

            if (after is { } position)
            {
                sql.Append(" AND (created_at > $afterCreated OR (created_at = $afterCreated AND instance_id > $afterId))");
                p.AddWithValue("$afterCreated", position.CreatedTicks);
                p.AddWithValue("$afterId", position.InstanceId);
            }

            sql.Append(" ORDER BY created_at, instance_id LIMIT $limit");
            p.AddWithValue("$limit", pageSize + 1);
            command.CommandText = sql.ToString();
        }, row => ReadMetadata(row, query.FetchInputsAndOutputs));

        if (page.Count <= pageSize)
        {
            return new Page<OrchestrationMetadata>(page, null);
        }

        var last = page[pageSize - 1];
        return new Page<OrchestrationMetadata>([.. page.Take(pageSize)], ContinuationToken.Encode(last.CreatedAt.UtcTicks, last.InstanceId));
    }

    /// <summary>Deletes finished instances (and everything of theirs): the one with the id, or all matching the filter.</summary>
    public Task<int> PurgeAsync(string? instanceId, PurgeInstancesFilter? filter) =>
        database.Writer.WriteAsync(commands =>
        {
            var select = new StringBuilder($"SELECT instance_id FROM durable_instances WHERE status IN ({TerminalStatuses})");
            var find = commands.Connection.CreateCommand();
            using (find)
            {
                if (instanceId is not null)
                {
                    select.Append(" AND instance_id = $id");
                    find.Parameters.AddWithValue("$id", instanceId);
                }

                if (filter?.Statuses?.ToList() is { Count: > 0 } statuses)
                {
                    select.Append(CultureInfo.InvariantCulture, $" AND status IN ({string.Join(", ", statuses.Select(s => (int)s))})");
                }

                if (filter?.CreatedFrom is { } from)
                {
                    select.Append(" AND created_at >= $from");
                    find.Parameters.AddWithValue("$from", from.UtcTicks);
                }

                if (filter?.CreatedTo is { } to)
                {
                    select.Append(" AND created_at < $to");
                    find.Parameters.AddWithValue("$to", to.UtcTicks);
                }

                find.CommandText = select.ToString();
                var ids = find.ReadAll(row => row.GetString(0));
                ids.ForEach(id => DeleteInstance(commands, id));
                return ids.Count;
            }
        });

    public DateTime? GetLastJobRun(string job) =>
        Read("SELECT last_run FROM durable_job_runs WHERE job = $job", command => command.Parameters.AddWithValue("$job", job),
            row => (DateTime?)new DateTime(row.GetInt64(0), DateTimeKind.Utc)).SingleOrDefault();

    public Task SetLastJobRunAsync(string job, DateTime scheduledAt) =>
        database.Writer.WriteAsync(commands =>
        {
            var upsert = commands.Get("INSERT INTO durable_job_runs (job, last_run) VALUES ($job, $at) ON CONFLICT (job) DO UPDATE SET last_run = $at");
            upsert.Parameters.AddWithValue("$job", job);
            upsert.Parameters.AddWithValue("$at", scheduledAt.Ticks);
            return upsert.ExecuteNonQuery();
        });

    private static InboxMessage? CreateInstance(
        CommandCache commands, string instanceId, string name, string? input, ParentInstance? parent, string? traceParent, DateTime visibleAt, DateTime now)
    {
        var existing = commands.Get("SELECT status FROM durable_instances WHERE instance_id = $id");
        existing.Parameters.AddWithValue("$id", instanceId);
        if (existing.ExecuteScalar() is long status)
        {
            if (!((OrchestrationRuntimeStatus)status).IsFinished())
            {
                return null;
            }

            DeleteInstance(commands, instanceId);
        }

        var executionId = Guid.NewGuid().ToString("N");
        var insert = commands.Get(
            "INSERT INTO durable_instances (instance_id, name, execution_id, status, input, parent, trace_parent, created_at, updated_at) " +
            "VALUES ($id, $name, $execution, $status, $input, $parent, $trace, $now, $now)");
        insert.Parameters.AddWithValue("$id", instanceId);
        insert.Parameters.AddWithValue("$name", name);
        insert.Parameters.AddWithValue("$execution", executionId);
        insert.Parameters.AddWithValue("$status", (int)OrchestrationRuntimeStatus.Pending);
        insert.Parameters.AddWithValue("$input", (object?)input ?? DBNull.Value);
        insert.Parameters.AddWithValue("$parent", parent is null ? DBNull.Value : JsonSerializer.Serialize(parent, Json));
        insert.Parameters.AddWithValue("$trace", (object?)traceParent ?? DBNull.Value);
        insert.Parameters.AddWithValue("$now", now.Ticks);
        insert.ExecuteNonQuery();
        return Enqueue(commands, instanceId, executionId, visibleAt, new ExecutionStarted(now, name, input, parent));
    }

    private static EpisodeCommitted CommitEpisode(CommandCache commands, EpisodeCommit episode, List<string> newHistory)
    {
        var instance = episode.Instance;
        var messages = new List<InboxMessage>();
        var activities = new List<ActivityWorkItem>();
        DeleteConsumed(commands, episode.ConsumedMessages);
        for (var i = 0; i < newHistory.Count; i++)
        {
            var append = commands.Get("INSERT INTO durable_history (instance_id, seq, event) VALUES ($id, $seq, $event)");
            append.Parameters.AddWithValue("$id", instance.InstanceId);
            append.Parameters.AddWithValue("$seq", episode.HistoryLength + i);
            append.Parameters.AddWithValue("$event", newHistory[i]);
            append.ExecuteNonQuery();
        }

        foreach (var action in episode.NewActions)
        {
            switch (action)
            {
                case TaskScheduled task:
                    activities.Add(InsertActivity(commands, instance, task));
                    break;
                case TimerCreated timer:
                    messages.Add(Enqueue(commands, instance.InstanceId, instance.ExecutionId, timer.FireAt, new TimerFired(timer.FireAt, timer.TaskId, timer.FireAt)));
                    break;
                case SubOrchestrationCreated sub:
                    var parent = new ParentInstance(instance.InstanceId, instance.ExecutionId, sub.TaskId, instance.Name);
                    messages.Add(CreateInstance(commands, sub.InstanceId, sub.Name, sub.Input, parent, traceParent: null, episode.Now, episode.Now)
                        ?? Enqueue(commands, instance.InstanceId, instance.ExecutionId, episode.Now, new SubOrchestrationFailed(episode.Now, sub.TaskId,
                            new RecordedFailure("OrchestrationAlreadyExistsException", $"An orchestration with instance id '{sub.InstanceId}' is already pending or running."))));
                    break;
                case EventSent sent when EnqueueForActive(commands, sent.InstanceId, new EventRaised(episode.Now, sent.Name, sent.Input), episode.Now) is { } raised:
                    messages.Add(raised);
                    break;
            }
        }

        var executionId = instance.ExecutionId;
        if (episode.ContinuedAsNew is { } next)
        {
            executionId = Guid.NewGuid().ToString("N");
            StartOver(commands, instance);
            messages.Add(Enqueue(commands, instance.InstanceId, executionId, episode.Now, new ExecutionStarted(episode.Now, instance.Name, next.Input, instance.Parent)));
            messages.AddRange(next.CarriedEvents.Select(e => Enqueue(commands, instance.InstanceId, null, episode.Now, e)));
        }
        else if (episode.Status.IsFinished())
        {
            Delete(commands, instance.InstanceId, "durable_inbox", "durable_activities");
            if (instance.Parent is { } parent)
            {
                HistoryEvent result = episode.Status == OrchestrationRuntimeStatus.Completed
                    ? new SubOrchestrationCompleted(episode.Now, parent.TaskId, episode.Output)
                    : new SubOrchestrationFailed(episode.Now, parent.TaskId, episode.Failure ?? new RecordedFailure("Terminated", "The sub-orchestration was terminated."));
                messages.Add(Enqueue(commands, parent.InstanceId, parent.ExecutionId, episode.Now, result));
            }
        }

        var update = commands.Get(
            "UPDATE durable_instances SET status = $status, execution_id = $execution, custom_status = $custom, output = $output, failure = $failure, " +
            "input = COALESCE($input, input), updated_at = $now, completed_at = $completed WHERE instance_id = $id");
        update.Parameters.AddWithValue("$id", instance.InstanceId);
        update.Parameters.AddWithValue("$status", (int)(episode.ContinuedAsNew is null ? episode.Status : OrchestrationRuntimeStatus.Running));
        update.Parameters.AddWithValue("$execution", executionId);
        update.Parameters.AddWithValue("$custom", (object?)episode.CustomStatus ?? DBNull.Value);
        update.Parameters.AddWithValue("$output", (object?)episode.Output ?? DBNull.Value);
        update.Parameters.AddWithValue("$failure", episode.Failure is null ? DBNull.Value : JsonSerializer.Serialize(episode.Failure, Json));
        update.Parameters.AddWithValue("$input", (object?)episode.ContinuedAsNew?.Input ?? DBNull.Value);
        update.Parameters.AddWithValue("$now", episode.Now.Ticks);
        update.Parameters.AddWithValue("$completed", episode.Status.IsFinished() ? episode.Now.Ticks : DBNull.Value);
        update.ExecuteNonQuery();
        return new EpisodeCommitted(messages, activities, executionId);
    }

    /// <summary>Consuming a message deletes its inbox row or, for an activity's outcome, the activity's work item.</summary>
    private static void DeleteConsumed(CommandCache commands, IEnumerable<InboxMessage> messages)
    {
        foreach (var message in messages)
        {
            var delete = commands.Get(message.IsActivityOutcome ? "DELETE FROM durable_activities WHERE id = $id" : "DELETE FROM durable_inbox WHERE id = $id");
            delete.Parameters.AddWithValue("$id", message.Id);
            delete.ExecuteNonQuery();
        }
    }

    private static void DeleteInstance(CommandCache commands, string instanceId) =>
        Delete(commands, instanceId, "durable_inbox", "durable_activities", "durable_history", "durable_instances");

    /// <summary>
    /// ContinueAsNew: the old execution's history, activities, timers and results go; external events that arrived
    /// and were not consumed stay for the new execution.
    /// </summary>
    private static void StartOver(CommandCache commands, ActiveInstance instance)
    {
        Delete(commands, instance.InstanceId, "durable_history", "durable_activities");
        var stale = commands.Get("DELETE FROM durable_inbox WHERE instance_id = $id AND execution_id = $execution");
        stale.Parameters.AddWithValue("$id", instance.InstanceId);
        stale.Parameters.AddWithValue("$execution", instance.ExecutionId);
        stale.ExecuteNonQuery();
    }

    private static void Delete(CommandCache commands, string instanceId, params string[] tables)
    {
        foreach (var table in tables)
        {
            var delete = commands.Get($"DELETE FROM {table} WHERE instance_id = $id");
            delete.Parameters.AddWithValue("$id", instanceId);
            delete.ExecuteNonQuery();
        }
    }

    private static ActivityWorkItem InsertActivity(CommandCache commands, ActiveInstance instance, TaskScheduled task)
    {
        var insert = commands.Get(
            "INSERT INTO durable_activities (instance_id, execution_id, task_id, name, input) VALUES ($id, $execution, $task, $name, $input) RETURNING id");
        insert.Parameters.AddWithValue("$id", instance.InstanceId);
        insert.Parameters.AddWithValue("$execution", instance.ExecutionId);
        insert.Parameters.AddWithValue("$task", task.TaskId);
        insert.Parameters.AddWithValue("$name", task.Name);
        insert.Parameters.AddWithValue("$input", (object?)task.Input ?? DBNull.Value);
        return new ActivityWorkItem((long)insert.ExecuteScalar()!, instance.InstanceId, instance.ExecutionId, task.TaskId, task.Name, task.Input);
    }

    private static InboxMessage? EnqueueForActive(CommandCache commands, string instanceId, HistoryEvent message, DateTime now)
    {
        var status = commands.Get("SELECT status FROM durable_instances WHERE instance_id = $id");
        status.Parameters.AddWithValue("$id", instanceId);
        return status.ExecuteScalar() is long value && !((OrchestrationRuntimeStatus)value).IsFinished()
            ? Enqueue(commands, instanceId, null, now, message)
            : null;
    }

    private static InboxMessage Enqueue(CommandCache commands, string instanceId, string? executionId, DateTime visibleAt, HistoryEvent message)
    {
        var insert = commands.Get(
            "INSERT INTO durable_inbox (instance_id, execution_id, visible_at, event) VALUES ($id, $execution, $visible, $event) RETURNING id");
        insert.Parameters.AddWithValue("$id", instanceId);
        insert.Parameters.AddWithValue("$execution", (object?)executionId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$visible", visibleAt.Ticks);
        insert.Parameters.AddWithValue("$event", Serialize(message));
        return new InboxMessage((long)insert.ExecuteScalar()!, instanceId, executionId, visibleAt, message);
    }

    private const string MetadataColumns = "instance_id, name, status, created_at, updated_at, input, output, custom_status, failure";

    /// <summary>As Durable Task's clients return them: with the converter only when inputs and outputs were asked for.</summary>
    private static OrchestrationMetadata ReadMetadata(SqliteDataReader row, bool withInputsAndOutputs) => new(row.GetString(1), row.GetString(0))
    {
        RuntimeStatus = (OrchestrationRuntimeStatus)row.GetInt32(2),
        CreatedAt = new DateTimeOffset(row.GetInt64(3), TimeSpan.Zero),
        LastUpdatedAt = new DateTimeOffset(row.GetInt64(4), TimeSpan.Zero),
        SerializedInput = withInputsAndOutputs ? NullableString(row, 5) : null,
        SerializedOutput = withInputsAndOutputs ? NullableString(row, 6) : null,
        SerializedCustomStatus = NullableString(row, 7),
        FailureDetails = NullableString(row, 8) is { } failure ? JsonSerializer.Deserialize<RecordedFailure>(failure, Json)!.ToTaskFailureDetails() : null,
        DataConverter = withInputsAndOutputs ? WorkflowJson.Converter : null,
    };

    private static InboxMessage ReadMessage(SqliteDataReader row) =>
        new(row.GetInt64(0), row.GetString(1), NullableString(row, 2), new DateTime(row.GetInt64(3), DateTimeKind.Utc), Deserialize(row.GetString(4)));

    private static ActivityWorkItem ReadActivity(SqliteDataReader row) =>
        new(row.GetInt64(0), row.GetString(1), row.GetString(2), row.GetInt32(3), row.GetString(4), NullableString(row, 5));

    private static string? NullableString(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static string Serialize(HistoryEvent historyEvent) => JsonSerializer.Serialize(historyEvent, Json);

    private static HistoryEvent Deserialize(string json) => JsonSerializer.Deserialize<HistoryEvent>(json, Json)!;

    private List<T> Read<T>(string? sql, Action<SqliteCommand>? prepare, Func<SqliteDataReader, T> read)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        prepare?.Invoke(command);
        return command.ReadAll(read);
    }

    /// <summary>Query pages continue after the last instance shown, by creation time then id.</summary>
    private static class ContinuationToken
    {
        public static string Encode(long createdTicks, string instanceId) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{createdTicks.ToString(CultureInfo.InvariantCulture)}|{instanceId}"));

        public static (long CreatedTicks, string InstanceId)? Decode(string? token)
        {
            if (token is null)
            {
                return null;
            }

            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
                var separator = text.IndexOf('|', StringComparison.Ordinal);
                if (separator > 0 && long.TryParse(text.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
                {
                    return (ticks, text[(separator + 1)..]);
                }
            }
            catch (FormatException)
            {
            }

            throw new ArgumentException("The continuation token is not one this engine issued.", nameof(token));
        }
    }
}
