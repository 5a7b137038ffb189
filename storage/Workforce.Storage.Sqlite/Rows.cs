using System.Text.Json;
using Microsoft.Data.Sqlite;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Tasks;

namespace Workforce.Storage.Sqlite;

/// <summary>How tasks and agents map to rows: times as UTC ticks, ids as 16-byte blobs, lists as JSON arrays.</summary>
internal static class Rows
{
    public const string TaskColumns =
        "seq, id, tenant_id, type, priority, state, payload, required_capabilities, attempt, max_retries, timeout_seconds, " +
        "deadline, agent_id, next_attempt_at, result, error, created_at, updated_at, completed_at, revision, retry_of, trace_parent";

    public const string TransitionColumns = "tenant_id, task_id, revision, from_state, to_state, at, agent_id, attempt, reason";

    public const string AgentColumns =
        "seq, id, tenant_id, name, role, capabilities, capacity, status, active_tasks, last_heartbeat_at, " +
        "cpu_percent, memory_mb, thread_count, metrics_reported_at, metadata, registered_at, draining";

    public static WorkTask ReadTask(SqliteDataReader row) => new()
    {
        Id = row.GetGuid(1),
        TenantId = row.GetString(2),
        Type = row.GetString(3),
        Priority = (TaskPriority)row.GetInt32(4),
        State = (TaskState)row.GetInt32(5),
        Payload = Json(row, 6),
        RequiredCapabilities = StringList(row.GetString(7)),
        Attempt = row.GetInt32(8),
        MaxRetries = row.GetInt32(9),
        TimeoutSeconds = row.GetInt32(10),
        Deadline = Time(row, 11),
        AssignedAgentId = row.IsDBNull(12) ? null : row.GetGuid(12),
        NextAttemptAt = Time(row, 13),
        Result = Json(row, 14),
        Error = row.IsDBNull(15) ? null : row.GetString(15),
        CreatedAt = Time(row.GetInt64(16)),
        UpdatedAt = Time(row.GetInt64(17)),
        CompletedAt = Time(row, 18),
        Revision = row.GetInt32(19),
        RetryOf = row.IsDBNull(20) ? null : row.GetGuid(20),
        TraceParent = row.IsDBNull(21) ? null : row.GetString(21),
    };

    public static TaskTransition ReadTransition(SqliteDataReader row) => new(
        row.GetString(0),
        row.GetGuid(1),
        row.GetInt32(2),
        row.IsDBNull(3) ? null : (TaskState)row.GetInt32(3),
        (TaskState)row.GetInt32(4),
        Time(row.GetInt64(5)),
        row.IsDBNull(6) ? null : row.GetGuid(6),
        row.GetInt32(7),
        row.IsDBNull(8) ? null : row.GetString(8));

    public static void BindTransition(SqliteParameterCollection p, TaskTransition transition)
    {
        p.AddWithValue("$tenant", transition.TenantId);
        p.AddWithValue("$task", transition.TaskId);
        p.AddWithValue("$revision", transition.Revision);
        p.AddWithValue("$from", transition.From is { } from ? (int)from : DBNull.Value);
        p.AddWithValue("$to", (int)transition.To);
        p.AddWithValue("$at", transition.At.UtcTicks);
        p.AddWithValue("$agent", (object?)transition.AgentId ?? DBNull.Value);
        p.AddWithValue("$attempt", transition.Attempt);
        p.AddWithValue("$reason", (object?)transition.Reason ?? DBNull.Value);
    }

    public static Agent ReadAgent(SqliteDataReader row) => new()
    {
        Id = row.GetGuid(1),
        TenantId = row.GetString(2),
        Name = row.GetString(3),
        Role = (AgentRole)row.GetInt32(4),
        Capabilities = StringList(row.GetString(5)),
        Capacity = row.GetInt32(6),
        Status = (AgentStatus)row.GetInt32(7),
        ActiveTasks = row.GetInt32(8),
        LastHeartbeatAt = Time(row, 9),
        Metrics = row.IsDBNull(13) ? null : new AgentMetrics(row.GetDouble(10), row.GetDouble(11), row.GetInt32(12), Time(row.GetInt64(13))),
        Metadata = Json(row, 14),
        RegisteredAt = Time(row.GetInt64(15)),
        Draining = row.GetBoolean(16),
    };

    public static void BindTask(SqliteParameterCollection p, WorkTask task)
    {
        p.AddWithValue("$id", task.Id);
        p.AddWithValue("$tenant", task.TenantId);
        p.AddWithValue("$type", task.Type);
        p.AddWithValue("$priority", (int)task.Priority);
        p.AddWithValue("$state", (int)task.State);
        p.AddWithValue("$payload", (object?)task.Payload?.Text ?? DBNull.Value);
        p.AddWithValue("$caps", JsonSerializer.Serialize(task.RequiredCapabilities, StorageJson.Default.IReadOnlyListString));
        p.AddWithValue("$attempt", task.Attempt);
        p.AddWithValue("$maxRetries", task.MaxRetries);
        p.AddWithValue("$timeout", task.TimeoutSeconds);
        p.AddWithValue("$deadline", Ticks(task.Deadline));
        p.AddWithValue("$agent", (object?)task.AssignedAgentId ?? DBNull.Value);
        p.AddWithValue("$nextAttempt", Ticks(task.NextAttemptAt));
        p.AddWithValue("$result", (object?)task.Result?.Text ?? DBNull.Value);
        p.AddWithValue("$error", (object?)task.Error ?? DBNull.Value);
        p.AddWithValue("$created", task.CreatedAt.UtcTicks);
        p.AddWithValue("$updated", task.UpdatedAt.UtcTicks);
        p.AddWithValue("$completed", Ticks(task.CompletedAt));
        p.AddWithValue("$revision", task.Revision);
        p.AddWithValue("$retryOf", (object?)task.RetryOf ?? DBNull.Value);
        p.AddWithValue("$traceParent", (object?)task.TraceParent ?? DBNull.Value);
    }

    public static void BindAgent(SqliteParameterCollection p, Agent agent)
    {
        p.AddWithValue("$id", agent.Id);
        p.AddWithValue("$tenant", agent.TenantId);
        p.AddWithValue("$name", agent.Name);
        p.AddWithValue("$role", (int)agent.Role);
        p.AddWithValue("$caps", JsonSerializer.Serialize(agent.Capabilities, StorageJson.Default.IReadOnlyListString));
        p.AddWithValue("$capacity", agent.Capacity);
        p.AddWithValue("$status", (int)agent.Status);
        p.AddWithValue("$active", agent.ActiveTasks);
        p.AddWithValue("$heartbeat", Ticks(agent.LastHeartbeatAt));
        p.AddWithValue("$cpu", (object?)agent.Metrics?.CpuPercent ?? DBNull.Value);
        p.AddWithValue("$memory", (object?)agent.Metrics?.MemoryMb ?? DBNull.Value);
        p.AddWithValue("$threads", (object?)agent.Metrics?.ThreadCount ?? DBNull.Value);
        p.AddWithValue("$reported", Ticks(agent.Metrics?.ReportedAt));
        p.AddWithValue("$metadata", (object?)agent.Metadata?.Text ?? DBNull.Value);
        p.AddWithValue("$registered", agent.RegisteredAt.UtcTicks);
        p.AddWithValue("$draining", agent.Draining);
    }

    public static object Ticks(DateTimeOffset? time) => time is { } t ? t.UtcTicks : DBNull.Value;

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? Time(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : Time(row.GetInt64(ordinal));

    private static RawJson? Json(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : new RawJson(row.GetString(ordinal));

    private static IReadOnlyList<string> StringList(string json) =>
        json == "[]" ? [] : JsonSerializer.Deserialize(json, StorageJson.Default.IReadOnlyListString) ?? [];
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StorageJson : System.Text.Json.Serialization.JsonSerializerContext;
