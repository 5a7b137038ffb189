namespace Workforce.Storage.Sqlite;

/// <summary>
/// The platform's tables as an ordered list of migrations (see <see cref="SchemaMigrator"/>).
/// Append new migrations; never edit one that has shipped.
/// </summary>
internal static class Schema
{
    public const string Component = "workforce";

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE tenants (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            pending_tasks INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE api_keys (
            hash TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            agent_id BLOB,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX ix_api_keys_agent ON api_keys (agent_id) WHERE agent_id IS NOT NULL;

        CREATE TABLE agents (
            seq INTEGER PRIMARY KEY,
            id BLOB NOT NULL UNIQUE,
            tenant_id TEXT NOT NULL,
            name TEXT NOT NULL,
            role INTEGER NOT NULL,
            capabilities TEXT NOT NULL,
            capacity INTEGER NOT NULL,
            status INTEGER NOT NULL,
            active_tasks INTEGER NOT NULL,
            last_heartbeat_at INTEGER,
            cpu_percent REAL,
            memory_mb REAL,
            thread_count INTEGER,
            metrics_reported_at INTEGER,
            metadata TEXT,
            registered_at INTEGER NOT NULL
        );
        CREATE INDEX ix_agents_tenant ON agents (tenant_id, seq);

        -- seq is the submission order: FIFO within a priority, and the paging key.
        CREATE TABLE tasks (
            seq INTEGER PRIMARY KEY,
            id BLOB NOT NULL UNIQUE,
            tenant_id TEXT NOT NULL,
            type TEXT NOT NULL,
            priority INTEGER NOT NULL,
            state INTEGER NOT NULL,
            payload TEXT,
            required_capabilities TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            max_retries INTEGER NOT NULL,
            timeout_seconds INTEGER NOT NULL,
            deadline INTEGER,
            agent_id BLOB,
            next_attempt_at INTEGER,
            result TEXT,
            error TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            completed_at INTEGER
        );
        -- The lease index holds pending tasks only, so it stays as small as the queue, and is in lease order:
        -- highest priority first, then submission order.
        CREATE INDEX ix_tasks_lease ON tasks (tenant_id, priority DESC, seq) WHERE state = 0;
        CREATE INDEX ix_tasks_tenant ON tasks (tenant_id, seq);
        CREATE INDEX ix_tasks_state ON tasks (tenant_id, state, seq);
        CREATE INDEX ix_tasks_agent ON tasks (tenant_id, agent_id, seq) WHERE agent_id IS NOT NULL;

        -- The pending count per tenant, kept by triggers so the queue limit costs one row read.
        CREATE TRIGGER tasks_pending_insert AFTER INSERT ON tasks WHEN NEW.state = 0
        BEGIN UPDATE tenants SET pending_tasks = pending_tasks + 1 WHERE id = NEW.tenant_id; END;
        CREATE TRIGGER tasks_pending_update AFTER UPDATE OF state ON tasks WHEN (OLD.state = 0) <> (NEW.state = 0)
        BEGIN UPDATE tenants SET pending_tasks = pending_tasks + (CASE WHEN NEW.state = 0 THEN 1 ELSE -1 END) WHERE id = NEW.tenant_id; END;
        CREATE TRIGGER tasks_pending_delete AFTER DELETE ON tasks WHEN OLD.state = 0
        BEGIN UPDATE tenants SET pending_tasks = pending_tasks - 1 WHERE id = OLD.tenant_id; END;

        CREATE TABLE idempotency_keys (
            tenant_id TEXT NOT NULL,
            key TEXT NOT NULL,
            task_id BLOB NOT NULL,
            fingerprint TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, key)
        ) WITHOUT ROWID;
        """,
        """
        ALTER TABLE tasks ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX ix_tasks_finished ON tasks (completed_at) WHERE completed_at IS NOT NULL;
        CREATE INDEX ix_agents_heartbeat ON agents (last_heartbeat_at) WHERE status <> 2;
        CREATE INDEX ix_idempotency_expiry ON idempotency_keys (expires_at);

        -- Every transition of every task, in commit order: the task's history and the source of its notifications.
        CREATE TABLE task_history (
            seq INTEGER PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            task_id BLOB NOT NULL,
            revision INTEGER NOT NULL,
            from_state INTEGER,
            to_state INTEGER NOT NULL,
            at INTEGER NOT NULL,
            agent_id BLOB,
            attempt INTEGER NOT NULL,
            reason TEXT
        );
        CREATE INDEX ix_task_history_task ON task_history (task_id, seq);

        -- Work queues with Service Bus semantics. visible_at is the scheduled enqueue time of a new message and the
        -- lock expiry of a received one: a message is receivable when visible_at has passed.
        CREATE TABLE queue_messages (
            seq INTEGER PRIMARY KEY,
            queue TEXT NOT NULL,
            message_id TEXT NOT NULL,
            tenant_id TEXT,
            body TEXT NOT NULL,
            enqueued_at INTEGER NOT NULL,
            visible_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 0,
            lock_token TEXT,
            dead_lettered_at INTEGER,
            dead_letter_reason TEXT,
            dead_letter_description TEXT
        );
        CREATE INDEX ix_queue_order ON queue_messages (queue, seq) WHERE dead_lettered_at IS NULL;
        CREATE INDEX ix_queue_locks ON queue_messages (lock_token) WHERE lock_token IS NOT NULL;
        CREATE INDEX ix_queue_dead_letters ON queue_messages (dead_lettered_at) WHERE dead_lettered_at IS NOT NULL;
        CREATE INDEX ix_queue_tenant ON queue_messages (tenant_id, queue);
        """,
        """
        -- Metered usage per tenant; the id makes recording idempotent.
        CREATE TABLE usage_records (
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            meter TEXT NOT NULL,
            quantity REAL NOT NULL,
            occurred_at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_usage_period ON usage_records (tenant_id, occurred_at, id);
        """,
        """
        ALTER TABLE agents ADD COLUMN draining INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE tasks ADD COLUMN retry_of BLOB;
        """,
        """
        -- A tenant's subscription once it was changed; until then it is on Free since the tenant's creation.
        CREATE TABLE subscriptions (
            tenant_id TEXT PRIMARY KEY,
            body TEXT NOT NULL
        ) WITHOUT ROWID;

        -- Counters per tenant and billing period, kept with every metered event, so reading usage never scans events.
        CREATE TABLE usage_periods (
            tenant_id TEXT NOT NULL,
            period_start INTEGER NOT NULL,
            tasks INTEGER NOT NULL,
            compute_seconds INTEGER NOT NULL,
            api_calls INTEGER NOT NULL,
            storage_peak INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, period_start)
        ) WITHOUT ROWID;

        -- The bytes a tenant keeps now: a gauge across periods.
        ALTER TABLE tenants ADD COLUMN storage_bytes INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX ix_usage_age ON usage_records (occurred_at);
        """,
        """
        -- Invoices of closed billing periods, kept whole; the id is derived from the tenant and the period.
        CREATE TABLE invoices (
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            period_start INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (tenant_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_invoices_period ON invoices (tenant_id, period_start);
        """,
        """
        -- A tenant's notification endpoints and its own templates, kept whole.
        CREATE TABLE notification_endpoints (
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (tenant_id, id)
        ) WITHOUT ROWID;

        CREATE TABLE notification_templates (
            tenant_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            channel INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (tenant_id, event_type, channel)
        ) WITHOUT ROWID;

        -- Deliveries kept whole, beside the columns their list filters and orders by. A rowid table: the bodies
        -- grow with every attempt, too large for the b-tree of a table without rowid.
        CREATE TABLE notification_deliveries (
            seq INTEGER PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            endpoint_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (tenant_id, id)
        );
        CREATE INDEX ix_deliveries_list ON notification_deliveries (tenant_id, created_at DESC, id);
        CREATE INDEX ix_deliveries_age ON notification_deliveries (created_at);

        -- Each event once fanned out, with the sequence it was given: both unique per tenant, so an event is fanned
        -- out once and a sequence given once.
        CREATE TABLE notification_fanouts (
            seq INTEGER PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            at INTEGER NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (tenant_id, event_id),
            UNIQUE (tenant_id, sequence)
        );
        CREATE INDEX ix_fanouts_age ON notification_fanouts (at);
        """,
        """
        -- Analytics rollups per tenant, resolution (0 minute, 1 hour), start and series; values as RollupValues JSON.
        -- A rowid table: the bodies (histograms) are too large for the b-tree of a table without rowid.
        CREATE TABLE analytics_rollups (
            seq INTEGER PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            resolution INTEGER NOT NULL,
            start INTEGER NOT NULL,
            series TEXT NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (tenant_id, resolution, start, series)
        );
        CREATE INDEX ix_rollups_age ON analytics_rollups (resolution, start);

        -- Agents' heartbeat samples, kept for the rolling hour.
        CREATE TABLE analytics_samples (
            tenant_id TEXT NOT NULL,
            agent_id BLOB NOT NULL,
            at INTEGER NOT NULL,
            cpu_percent REAL NOT NULL,
            memory_mb REAL NOT NULL,
            thread_count INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, agent_id, at)
        ) WITHOUT ROWID;
        CREATE INDEX ix_samples_age ON analytics_samples (at);

        -- The ids of applied analytics batches, so a retried flush counts once; at is the end of the latest period
        -- or sample the batch held, which is how old the record is for purging.
        CREATE TABLE analytics_batches (
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_analytics_batches_age ON analytics_batches (at);
        """,
        """
        -- Reports and report schedules, kept whole beside the columns they are listed, purged and found due by.
        CREATE TABLE reports (
            seq INTEGER PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (tenant_id, id)
        );
        CREATE INDEX ix_reports_list ON reports (tenant_id, created_at DESC, id);
        CREATE INDEX ix_reports_age ON reports (created_at);

        CREATE TABLE report_schedules (
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            next_run_at INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (tenant_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_report_schedules_due ON report_schedules (next_run_at);
        """,
        """
        -- Forecasting's documents kept whole, by tenant, kind and name, with a number where one name has many: model
        -- versions (the series, the version), series pointers and forecasts (the series, 0), recommendations (the
        -- capability, 0). A rowid table: forecasts and versions with their candidates run to kilobytes.
        CREATE TABLE forecast_documents (
            seq INTEGER PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            number INTEGER NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (tenant_id, kind, name, number)
        );

        -- Anomalies, one per tenant, series and hour (the start of the hour of at), listed by time and purged by
        -- detection time across tenants.
        CREATE TABLE forecast_anomalies (
            seq INTEGER PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            series TEXT NOT NULL,
            hour INTEGER NOT NULL,
            at INTEGER NOT NULL,
            detected_at INTEGER NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (tenant_id, series, hour)
        );
        CREATE INDEX ix_anomalies_list ON forecast_anomalies (tenant_id, at DESC, series);
        CREATE INDEX ix_anomalies_age ON forecast_anomalies (detected_at);
        """,
        """
        -- The submission's W3C traceparent, handed to the agent with the lease so its spans join the trace.
        ALTER TABLE tasks ADD COLUMN trace_parent TEXT;
        """,
        """
        -- The audit log: one row per state-changing request, append-only, listed newest first per tenant and purged
        -- by age across tenants. The body holds the whole entry; the columns are what it is found by.
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            id TEXT NOT NULL,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            body TEXT NOT NULL,
            UNIQUE (tenant_id, id)
        );
        CREATE INDEX ix_audit_list ON audit_log (tenant_id, at DESC, id);
        CREATE INDEX ix_audit_age ON audit_log (at);
        """,
        """
        -- Agents' inboxes: one row per message and receiver (a broadcast is fanned out into one each), in send order
        -- (seq). A receive leases the oldest visible ones by moving visible_at on; an acknowledgement stamps acked_at.
        -- Cleanup deletes acknowledged and expired rows across tenants.
        CREATE TABLE agent_messages (
            seq INTEGER PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            receiver BLOB NOT NULL,
            id BLOB NOT NULL,
            visible_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            acked_at INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            body TEXT NOT NULL,
            UNIQUE (tenant_id, receiver, id)
        );
        CREATE INDEX ix_messages_inbox ON agent_messages (tenant_id, receiver, seq) WHERE acked_at IS NULL;
        CREATE INDEX ix_messages_expiry ON agent_messages (expires_at);
        CREATE INDEX ix_messages_acked ON agent_messages (acked_at) WHERE acked_at IS NOT NULL;
        """,
    ];
}
