namespace Workforce.Storage.Azure;

/// <summary>The account's tables, queues and container, all named after one prefix.</summary>
internal sealed class StorageNames(string prefix)
{
    /// <summary>Everything of a tenant that must change atomically: tasks and their index rows, agents, history, keys, idempotency records.</summary>
    public string TenantData { get; } = prefix + "tenantdata";

    /// <summary>Key hash → tenant: where a key is looked up before its tenant is known.</summary>
    public string Keys { get; } = prefix + "keys";

    /// <summary>The list of tenants, for the jobs that visit every tenant.</summary>
    public string Tenants { get; } = prefix + "tenants";

    public string Usage { get; } = prefix + "usage";

    /// <summary>One row per queued message, so counts can be given per tenant and per state.</summary>
    public string QueueLedger { get; } = prefix + "queueledger";

    /// <summary>Analytics rollups, partitioned by tenant, resolution and day or month, with the index of those partitions.</summary>
    public string Analytics { get; } = prefix + "analytics";

    /// <summary>Agents' heartbeat samples: the rolling hour, apart from the rollups so that purging it scans only itself.</summary>
    public string AgentSamples { get; } = prefix + "agentsamples";

    /// <summary>Reports and report schedules per tenant, with the index partitions that find them across tenants.</summary>
    public string Reports { get; } = prefix + "reports";

    /// <summary>Forecasting's model versions, forecasts, anomalies and recommendations per tenant, with the anomalies' age index.</summary>
    public string Forecasts { get; } = prefix + "forecasts";

    /// <summary>The audit log: partition the tenant (or <c>_platform</c>), row the inverted time and the entry's id.</summary>
    public string Audit { get; } = prefix + "audit";

    /// <summary>Agents' inboxes: partition the tenant and the receiving agent, rows the messages in send order and an index row per message id.</summary>
    public string Messages { get; } = prefix + "messages";

    public string Files { get; } = prefix + "-files";

    public IReadOnlyList<string> AllTables => [TenantData, Keys, Tenants, Usage, QueueLedger, Analytics, AgentSamples, Reports, Forecasts, Audit, Messages];

    public string Queue(string name) => $"{prefix}-{name}";

    public string PoisonQueue(string name) => $"{prefix}-{name}-poison";
}
