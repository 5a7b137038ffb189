namespace Workforce.Storage.Sqlite;

/// <summary>The statements the adapters run, kept in one place so each is prepared once per connection.</summary>
internal static class Sql
{
    public const string FindTask = $"SELECT {Rows.TaskColumns} FROM tasks WHERE id = $id AND tenant_id = $tenant";

    public const string InsertTask =
        "INSERT INTO tasks (id, tenant_id, type, priority, state, payload, required_capabilities, attempt, max_retries, " +
        "timeout_seconds, deadline, agent_id, next_attempt_at, result, error, created_at, updated_at, completed_at, revision, retry_of, trace_parent) " +
        "VALUES ($id, $tenant, $type, $priority, $state, $payload, $caps, $attempt, $maxRetries, $timeout, $deadline, $agent, " +
        "$nextAttempt, $result, $error, $created, $updated, $completed, $revision, $retryOf, $traceParent)";

    public const string UpdateTask =
        "UPDATE tasks SET state = $state, attempt = $attempt, agent_id = $agent, next_attempt_at = $nextAttempt, " +
        "result = $result, error = $error, updated_at = $updated, completed_at = $completed, revision = $revision " +
        "WHERE id = $id AND tenant_id = $tenant";

    /// <summary>
    /// A pending task's editable fields. A changed priority also gives the task a new seq after every other, so that it
    /// is last in its new priority's line (the right-hand sides read the row as it was).
    /// </summary>
    public const string ReviseTask =
        "UPDATE tasks SET seq = CASE WHEN priority <> $priority THEN (SELECT max(seq) + 1 FROM tasks) ELSE seq END, " +
        "priority = $priority, payload = $payload, required_capabilities = $caps, deadline = $deadline, updated_at = $updated, revision = $revision " +
        "WHERE id = $id AND tenant_id = $tenant";

    public const string RemoveTask = "DELETE FROM tasks WHERE id = $id AND tenant_id = $tenant";

    public const string RemoveTaskHistory = "DELETE FROM task_history WHERE task_id = $id AND tenant_id = $tenant";

    /// <summary>
    /// A page of pending tasks in lease order, skipping tasks still in backoff; after the first page, only tasks after
    /// the last one seen (<c>$afterPriority</c>, <c>$afterSeq</c>). The index is named because without statistics
    /// SQLite may prefer another one and walk every pending task. The page size is a literal because SQLite
    /// recompiles a statement whose LIMIT is a bound parameter on every run.
    /// </summary>
    public static string PendingPage(int size, bool first) =>
        $"SELECT {Rows.TaskColumns} FROM tasks INDEXED BY ix_tasks_lease WHERE tenant_id = $tenant AND state = 0 " +
        "AND (next_attempt_at IS NULL OR next_attempt_at <= $now) " +
        (first ? "" : "AND (priority < $afterPriority OR (priority = $afterPriority AND seq > $afterSeq)) ") +
        $"ORDER BY priority DESC, seq LIMIT {size}";

    public const string TasksHeldBy =
        $"SELECT {Rows.TaskColumns} FROM tasks INDEXED BY ix_tasks_agent WHERE tenant_id = $tenant AND agent_id = $agent AND state IN (1, 2) ORDER BY seq";

    /// <summary>Both counts read only their index: the lease index holds just the pending tasks, by priority.</summary>
    public const string PendingByPriority =
        "SELECT priority, COUNT(*) FROM tasks INDEXED BY ix_tasks_lease WHERE tenant_id = $tenant AND state = 0 GROUP BY priority";

    public const string HeldByState =
        "SELECT state, COUNT(*) FROM tasks INDEXED BY ix_tasks_state WHERE tenant_id = $tenant AND state IN (1, 2) GROUP BY state";

    public const string PendingCount = "SELECT pending_tasks FROM tenants WHERE id = $tenant";

    /// <summary>Each tenant's held tasks through its own part of the state index, never a scan of all tasks.</summary>
    public static readonly string HeldTasks =
        $"SELECT {Rows.TaskColumns} FROM tasks INDEXED BY ix_tasks_state WHERE tenant_id IN (SELECT id FROM tenants) AND state IN (1, 2)";

    public const string FindAgent = $"SELECT {Rows.AgentColumns} FROM agents WHERE id = $id AND tenant_id = $tenant";

    public const string InsertAgent =
        "INSERT INTO agents (id, tenant_id, name, role, capabilities, capacity, status, active_tasks, last_heartbeat_at, " +
        "cpu_percent, memory_mb, thread_count, metrics_reported_at, metadata, registered_at, draining) VALUES ($id, $tenant, $name, " +
        "$role, $caps, $capacity, $status, $active, $heartbeat, $cpu, $memory, $threads, $reported, $metadata, $registered, $draining)";

    public const string UpdateAgent =
        "UPDATE agents SET status = $status, active_tasks = $active, last_heartbeat_at = $heartbeat, cpu_percent = $cpu, " +
        "memory_mb = $memory, thread_count = $threads, metrics_reported_at = $reported, draining = $draining WHERE id = $id AND tenant_id = $tenant";

    public const string DeleteAgent = "DELETE FROM agents WHERE id = $id AND tenant_id = $tenant";

    public const string DeleteAgentKeys = "DELETE FROM api_keys WHERE agent_id = $id";

    public const string InsertKey =
        "INSERT OR IGNORE INTO api_keys (hash, tenant_id, agent_id, created_at) VALUES ($hash, $tenant, $agent, $created)";

    public const string FindKey = "SELECT tenant_id, agent_id FROM api_keys WHERE hash = $hash";

    public const string InsertTenant = "INSERT OR IGNORE INTO tenants (id, name, created_at) VALUES ($id, $name, $created)";

    public const string FindTenant = "SELECT id, name, created_at FROM tenants WHERE id = $id";

    public const string InsertTransition =
        $"INSERT INTO task_history ({Rows.TransitionColumns}) VALUES ($tenant, $task, $revision, $from, $to, $at, $agent, $attempt, $reason)";

    public const string TaskHistory = $"SELECT {Rows.TransitionColumns} FROM task_history WHERE task_id = $task AND tenant_id = $tenant ORDER BY seq";

    public const string SilentAgents =
        "SELECT tenant_id, id FROM agents WHERE status <> 2 AND last_heartbeat_at < $before ORDER BY last_heartbeat_at LIMIT $limit";

    public const string PurgeFinishedTasks =
        "SELECT seq, id, tenant_id, coalesce(length(CAST(payload AS BLOB)), 0) + coalesce(length(CAST(result AS BLOB)), 0), completed_at FROM tasks WHERE completed_at IS NOT NULL AND completed_at < $before ORDER BY completed_at LIMIT $limit";

    public const string DeleteTask = "DELETE FROM tasks WHERE seq = $seq";

    public const string DeleteTaskHistory = "DELETE FROM task_history WHERE task_id = $task";

    public const string PurgeSubmissions =
        "DELETE FROM idempotency_keys WHERE (tenant_id, key) IN (SELECT tenant_id, key FROM idempotency_keys WHERE expires_at <= $now LIMIT $limit)";

    public const string FindSubmission =
        "SELECT key, task_id, fingerprint, expires_at FROM idempotency_keys WHERE tenant_id = $tenant AND key = $key AND expires_at > $now";

    public const string UpsertSubmission =
        "INSERT OR REPLACE INTO idempotency_keys (tenant_id, key, task_id, fingerprint, expires_at) VALUES ($tenant, $key, $task, $fingerprint, $expires)";

    public const string FindSubscription =
        "SELECT t.created_at, s.body FROM tenants t LEFT JOIN subscriptions s ON s.tenant_id = t.id WHERE t.id = $tenant";

    public const string UpsertSubscription =
        "INSERT INTO subscriptions (tenant_id, body) VALUES ($tenant, $body) ON CONFLICT (tenant_id) DO UPDATE SET body = excluded.body";

    public const string FindUsage =
        "SELECT t.storage_bytes, u.tasks, u.compute_seconds, u.api_calls, u.storage_peak FROM tenants t " +
        "LEFT JOIN usage_periods u ON u.tenant_id = t.id AND u.period_start = $start WHERE t.id = $tenant";

    public const string UpsertUsage =
        "INSERT INTO usage_periods (tenant_id, period_start, tasks, compute_seconds, api_calls, storage_peak) " +
        "VALUES ($tenant, $start, $tasks, $compute, $calls, $peak) ON CONFLICT (tenant_id, period_start) DO UPDATE SET " +
        "tasks = excluded.tasks, compute_seconds = excluded.compute_seconds, api_calls = excluded.api_calls, storage_peak = excluded.storage_peak";

    public const string AddStorage = "UPDATE tenants SET storage_bytes = storage_bytes + $delta WHERE id = $tenant";

    public const string InsertUsageEvent =
        "INSERT OR IGNORE INTO usage_records (tenant_id, id, meter, quantity, occurred_at) VALUES ($tenant, $id, $meter, $quantity, $occurred)";

    public const string UsageEvents =
        "SELECT id, meter, quantity, occurred_at FROM usage_records WHERE tenant_id = $tenant AND occurred_at >= $from AND occurred_at < $to ORDER BY occurred_at, id";

    public const string PurgeUsageEvents =
        "DELETE FROM usage_records WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM usage_records WHERE occurred_at < $before LIMIT $limit)";

    public const string FindInvoice = "SELECT body FROM invoices WHERE tenant_id = $tenant AND id = $id";

    public const string ListInvoices = "SELECT body FROM invoices WHERE tenant_id = $tenant ORDER BY period_start DESC LIMIT $limit";

    public const string UpsertInvoice =
        "INSERT INTO invoices (tenant_id, id, period_start, body) VALUES ($tenant, $id, $start, $body) ON CONFLICT (tenant_id, id) DO UPDATE SET body = excluded.body";

    public const string ListEndpoints = "SELECT body FROM notification_endpoints WHERE tenant_id = $tenant ORDER BY created_at, id";

    public const string UpsertEndpoint =
        "INSERT INTO notification_endpoints (tenant_id, id, created_at, body) VALUES ($tenant, $id, $created, $body) " +
        "ON CONFLICT (tenant_id, id) DO UPDATE SET created_at = excluded.created_at, body = excluded.body";

    public const string DeleteEndpoint = "DELETE FROM notification_endpoints WHERE tenant_id = $tenant AND id = $id";

    public const string ListTemplates = "SELECT body FROM notification_templates WHERE tenant_id = $tenant";

    public const string UpsertTemplate =
        "INSERT INTO notification_templates (tenant_id, event_type, channel, body) VALUES ($tenant, $event, $channel, $body) " +
        "ON CONFLICT (tenant_id, event_type, channel) DO UPDATE SET body = excluded.body";

    public const string DeleteTemplate = "DELETE FROM notification_templates WHERE tenant_id = $tenant AND event_type = $event AND channel = $channel";

    public const string FindDelivery = "SELECT body FROM notification_deliveries WHERE tenant_id = $tenant AND id = $id";

    public const string UpsertDelivery =
        "INSERT INTO notification_deliveries (tenant_id, id, endpoint_id, status, event_type, created_at, body) " +
        "VALUES ($tenant, $id, $endpoint, $status, $event, $created, $body) ON CONFLICT (tenant_id, id) DO UPDATE SET " +
        "endpoint_id = excluded.endpoint_id, status = excluded.status, event_type = excluded.event_type, created_at = excluded.created_at, body = excluded.body";

    /// <summary>Deliveries go by age; fan-out records too, except each tenant's latest, which holds its last sequence.</summary>
    public const string PurgeDeliveries =
        "DELETE FROM notification_deliveries WHERE seq IN (SELECT seq FROM notification_deliveries WHERE created_at < $before ORDER BY created_at LIMIT $limit)";

    public const string PurgeFanOuts =
        "DELETE FROM notification_fanouts WHERE seq IN (SELECT f.seq FROM notification_fanouts f WHERE f.at < $before " +
        "AND f.sequence < (SELECT MAX(l.sequence) FROM notification_fanouts l WHERE l.tenant_id = f.tenant_id) ORDER BY f.at LIMIT $limit)";

    public const string FindFanOut = "SELECT body FROM notification_fanouts WHERE tenant_id = $tenant AND event_id = $event";

    public const string LastNotificationSequence = "SELECT coalesce(MAX(sequence), 0) FROM notification_fanouts WHERE tenant_id = $tenant";

    /// <summary>No OR IGNORE: a sequence or an event recorded twice is a bug of the caller, and fails its write.</summary>
    public const string InsertFanOut =
        "INSERT INTO notification_fanouts (tenant_id, event_id, sequence, at, body) VALUES ($tenant, $event, $sequence, $at, $body)";
}
