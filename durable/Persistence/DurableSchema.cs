namespace Workforce.Durable.Persistence;

/// <summary>The engine's tables, in the same file as the platform's, migrated as their own component.</summary>
internal static class DurableSchema
{
    public const string Component = "durable";

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE durable_instances (
            instance_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            input TEXT,
            output TEXT,
            custom_status TEXT,
            failure TEXT,
            parent TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            completed_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX ix_durable_instances_created ON durable_instances (created_at, instance_id);
        -- Pending and running instances: what the engine loads at start-up.
        CREATE INDEX ix_durable_instances_active ON durable_instances (status) WHERE status IN (0, 6);

        -- Event-sourced history: an instance's state is whatever replaying these events produces.
        CREATE TABLE durable_history (
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event TEXT NOT NULL,
            PRIMARY KEY (instance_id, seq)
        ) WITHOUT ROWID;

        -- Messages not yet consumed by an episode: starts, activity results, timers (visible when they fire),
        -- external events, sub-orchestration results, terminations. AUTOINCREMENT: ids are never reused, so an id
        -- always names one message (the engine mirrors messages in memory by id).
        CREATE TABLE durable_inbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL,
            execution_id TEXT,
            visible_at INTEGER NOT NULL,
            event TEXT NOT NULL
        );
        CREATE INDEX ix_durable_inbox_instance ON durable_inbox (instance_id);

        -- Activities scheduled and not yet finished.
        CREATE TABLE durable_activities (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            task_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            input TEXT
        );
        CREATE INDEX ix_durable_activities_instance ON durable_activities (instance_id);

        -- When each periodic job last ran, so a restart can tell a missed run (IsPastDue).
        CREATE TABLE durable_job_runs (
            job TEXT PRIMARY KEY,
            last_run INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        """
        -- The W3C traceparent the instance was started in, so an instance resumed after a restart stays in its trace.
        ALTER TABLE durable_instances ADD COLUMN trace_parent TEXT;
        """,
    ];
}
