using System.Text.Json;
using Azure.Data.Tables;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Billing;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Subscriptions;
using Workforce.Core.Tenants;
using Workforce.Core.Usage;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// How tasks, agents, transitions and idempotency records map to entities: times as UTC ticks (Int64), ids as
/// 32-digit hex, lists as JSON arrays, payloads and results as UTF-8 in binary chunks.
/// </summary>
internal static class TableRows
{
    /// <summary>A task as stored: its submission sequence is not part of the domain but orders the queue and the list.</summary>
    public static TableEntity Task(string rowKey, WorkTask task, long seq)
    {
        var entity = new TableEntity(task.TenantId, rowKey);
        entity.Set("Id", task.Id.ToString("N"));
        entity.Set("Seq", seq);
        entity.Set("Type", task.Type);
        entity.Set("Priority", (int)task.Priority);
        entity.Set("State", (int)task.State);
        entity.SetLargeText("Payload", task.Payload?.Text);
        entity.Set("Capabilities", JsonSerializer.Serialize(task.RequiredCapabilities, TableJson.Default.IReadOnlyListString));
        entity.Set("Attempt", task.Attempt);
        entity.Set("MaxRetries", task.MaxRetries);
        entity.Set("TimeoutSeconds", task.TimeoutSeconds);
        entity.Set("Deadline", task.Deadline?.UtcTicks);
        entity.Set("AgentId", task.AssignedAgentId?.ToString("N"));
        entity.Set("NextAttemptAt", task.NextAttemptAt?.UtcTicks);
        entity.SetLargeText("Result", task.Result?.Text);
        entity.Set("Error", task.Error);
        entity.Set("CreatedAt", task.CreatedAt.UtcTicks);
        entity.Set("UpdatedAt", task.UpdatedAt.UtcTicks);
        entity.Set("CompletedAt", task.CompletedAt?.UtcTicks);
        entity.Set("Revision", task.Revision);
        entity.Set("RetryOf", task.RetryOf?.ToString("N"));
        entity.Set("TraceParent", task.TraceParent);
        return entity;
    }

    public static WorkTask Task(TableEntity row) => new()
    {
        Id = Guid.ParseExact(row.GetString("Id")!, "N"),
        TenantId = row.PartitionKey,
        Type = row.GetString("Type")!,
        Priority = (TaskPriority)row.GetInt32("Priority")!.Value,
        State = (TaskState)row.GetInt32("State")!.Value,
        Payload = Json(row.GetLargeText("Payload")),
        RequiredCapabilities = StringList(row.GetString("Capabilities")),
        Attempt = row.GetInt32("Attempt")!.Value,
        MaxRetries = row.GetInt32("MaxRetries")!.Value,
        TimeoutSeconds = row.GetInt32("TimeoutSeconds")!.Value,
        Deadline = Time(row.GetInt64("Deadline")),
        AssignedAgentId = row.GetString("AgentId") is { } agent ? Guid.ParseExact(agent, "N") : null,
        NextAttemptAt = Time(row.GetInt64("NextAttemptAt")),
        Result = Json(row.GetLargeText("Result")),
        Error = row.GetString("Error"),
        CreatedAt = Time(row.GetInt64("CreatedAt"))!.Value,
        UpdatedAt = Time(row.GetInt64("UpdatedAt"))!.Value,
        CompletedAt = Time(row.GetInt64("CompletedAt")),
        Revision = row.GetInt32("Revision")!.Value,
        RetryOf = row.GetString("RetryOf") is { } original ? Guid.ParseExact(original, "N") : null,
        TraceParent = row.GetString("TraceParent"),
    };

    public static long Seq(TableEntity row) => row.GetInt64("Seq")!.Value;

    /// <summary>An agent as stored, with its registration sequence and the hash of its key (to revoke it with the agent).</summary>
    public static TableEntity Agent(Agent agent, long seq, string keyHash)
    {
        var entity = new TableEntity(agent.TenantId, RowKeys.Agent(agent.Id));
        entity.Set("Seq", seq);
        entity.Set("KeyHash", keyHash);
        entity.Set("Name", agent.Name);
        entity.Set("Role", (int)agent.Role);
        entity.Set("Capabilities", JsonSerializer.Serialize(agent.Capabilities, TableJson.Default.IReadOnlyListString));
        entity.Set("Capacity", agent.Capacity);
        entity.Set("Status", (int)agent.Status);
        entity.Set("ActiveTasks", agent.ActiveTasks);
        entity.Set("LastHeartbeatAt", agent.LastHeartbeatAt?.UtcTicks);
        entity.Set("CpuPercent", agent.Metrics?.CpuPercent);
        entity.Set("MemoryMb", agent.Metrics?.MemoryMb);
        entity.Set("ThreadCount", agent.Metrics?.ThreadCount);
        entity.Set("MetricsReportedAt", agent.Metrics?.ReportedAt.UtcTicks);
        entity.Set("Metadata", agent.Metadata?.Text);
        entity.Set("RegisteredAt", agent.RegisteredAt.UtcTicks);
        entity.Set("Draining", agent.Draining);
        return entity;
    }

    public static Agent Agent(TableEntity row) => new()
    {
        Id = Guid.ParseExact(row.RowKey[RowKeys.AgentPrefix.Length..], "N"),
        TenantId = row.PartitionKey,
        Name = row.GetString("Name")!,
        Role = (AgentRole)row.GetInt32("Role")!.Value,
        Capabilities = StringList(row.GetString("Capabilities")),
        Capacity = row.GetInt32("Capacity")!.Value,
        Status = (AgentStatus)row.GetInt32("Status")!.Value,
        ActiveTasks = row.GetInt32("ActiveTasks")!.Value,
        LastHeartbeatAt = Time(row.GetInt64("LastHeartbeatAt")),
        Metrics = Time(row.GetInt64("MetricsReportedAt")) is { } reported
            ? new AgentMetrics(row.GetNumber("CpuPercent")!.Value, row.GetNumber("MemoryMb")!.Value, row.GetInt32("ThreadCount")!.Value, reported)
            : null,
        Metadata = Json(row.GetString("Metadata")),
        RegisteredAt = Time(row.GetInt64("RegisteredAt"))!.Value,
        Draining = row.GetBoolean("Draining") ?? false,
    };

    public static string KeyHash(TableEntity agentRow) => agentRow.GetString("KeyHash")!;

    public static TableEntity Transition(TaskTransition transition)
    {
        var entity = new TableEntity(transition.TenantId, RowKeys.History(transition.TaskId, transition.Revision));
        entity.Set("TaskId", transition.TaskId.ToString("N"));
        entity.Set("Revision", transition.Revision);
        entity.Set("From", transition.From is { } from ? (int)from : null);
        entity.Set("To", (int)transition.To);
        entity.Set("At", transition.At.UtcTicks);
        entity.Set("AgentId", transition.AgentId?.ToString("N"));
        entity.Set("Attempt", transition.Attempt);
        entity.Set("Reason", transition.Reason);
        return entity;
    }

    public static TaskTransition Transition(TableEntity row) => new(
        row.PartitionKey,
        Guid.ParseExact(row.GetString("TaskId")!, "N"),
        row.GetInt32("Revision")!.Value,
        row.GetInt32("From") is { } from ? (TaskState)from : null,
        (TaskState)row.GetInt32("To")!.Value,
        Time(row.GetInt64("At"))!.Value,
        row.GetString("AgentId") is { } agent ? Guid.ParseExact(agent, "N") : null,
        row.GetInt32("Attempt")!.Value,
        row.GetString("Reason"));

    public static TableEntity Submission(string tenantId, IdempotentSubmission submission)
    {
        var entity = new TableEntity(tenantId, RowKeys.Submission(submission.Key));
        entity.Set("Key", submission.Key);
        entity.Set("TaskId", submission.TaskId.ToString("N"));
        entity.Set("Fingerprint", submission.Fingerprint);
        entity.Set("ExpiresAt", submission.ExpiresAt.UtcTicks);
        return entity;
    }

    public static IdempotentSubmission Submission(TableEntity row) => new(
        row.GetString("Key")!, Guid.ParseExact(row.GetString("TaskId")!, "N"), row.GetString("Fingerprint")!, Time(row.GetInt64("ExpiresAt"))!.Value);

    public static TableEntity Tenant(Tenant tenant)
    {
        var entity = new TableEntity(tenant.Id, RowKeys.Tenant);
        entity.Set("Name", tenant.Name);
        entity.Set("CreatedAt", tenant.CreatedAt.UtcTicks);
        return entity;
    }

    /// <summary>The tenant's row carrying its subscription, once that was changed.</summary>
    public static TableEntity Tenant(Tenant tenant, Subscription subscription)
    {
        var entity = Tenant(tenant);
        entity.Set("Subscription", StoredJson.Serialize(subscription));
        return entity;
    }

    public static Subscription? Subscription(TableEntity tenantRow) =>
        tenantRow.GetString("Subscription") is { } json ? StoredJson.Deserialize<Subscription>(json) : null;

    public static TableEntity Usage(string tenantId, PeriodUsage usage)
    {
        var entity = new TableEntity(tenantId, RowKeys.Usage(usage.PeriodStart));
        entity.Set("Tasks", usage.Tasks);
        entity.Set("ComputeSeconds", usage.ComputeSeconds);
        entity.Set("ApiCalls", usage.ApiCalls);
        entity.Set("StorageBytes", usage.StorageBytes);
        entity.Set("StoragePeak", usage.StoragePeakBytes);
        return entity;
    }

    /// <summary>The counters of the row's period; storage is what was kept at the period's last change.</summary>
    public static PeriodUsage Usage(TableEntity row) => new(
        RowKeys.PeriodOfUsage(row.RowKey), row.GetInt64("Tasks") ?? 0, row.GetInt64("ComputeSeconds") ?? 0, row.GetInt64("ApiCalls") ?? 0,
        row.GetInt64("StorageBytes") ?? 0, row.GetInt64("StoragePeak") ?? 0);

    /// <summary>
    /// The counters of the period from the row a query from its key found first: its own row, or when it has none
    /// yet, empty counters at the storage level of the last period before it.
    /// </summary>
    public static PeriodUsage UsageAt(DateTimeOffset periodStart, TableEntity? latest) =>
        latest is null ? PeriodUsage.Empty(periodStart, 0)
        : latest.RowKey == RowKeys.Usage(periodStart) ? Usage(latest)
        : PeriodUsage.Empty(periodStart, Usage(latest).StorageBytes);

    public static TableEntity UsageEvent(string tenantId, UsageEvent usage)
    {
        var entity = new TableEntity(tenantId, RowKeys.UsageEvent(usage.OccurredAt, usage.Id));
        entity.Set("Id", usage.Id);
        entity.Set("Meter", MeterNames.Of(usage.Meter));
        entity.Set("Quantity", usage.Quantity);
        entity.Set("OccurredAt", usage.OccurredAt.UtcTicks);
        return entity;
    }

    public static UsageEvent? UsageEvent(TableEntity row) => MeterNames.Parse(row.GetString("Meter")) is { } meter
        ? new UsageEvent(row.GetString("Id")!, meter, row.GetInt64("Quantity") ?? 0, Time(row.GetInt64("OccurredAt"))!.Value)
        : null;

    public static TableEntity Invoice(Invoice invoice)
    {
        var entity = new TableEntity(invoice.TenantId, RowKeys.Invoice(invoice.Id));
        entity.SetLargeText("Body", StoredJson.Serialize(invoice));
        return entity;
    }

    public static Invoice Invoice(TableEntity row) => StoredJson.Deserialize<Invoice>(row.GetLargeText("Body")!);

    public static TableEntity Endpoint(NotificationEndpoint endpoint)
    {
        var entity = new TableEntity(endpoint.TenantId, RowKeys.Endpoint(endpoint.Id));
        entity.SetLargeText("Body", StoredJson.Serialize(endpoint));
        return entity;
    }

    public static NotificationEndpoint Endpoint(TableEntity row) => StoredJson.Deserialize<NotificationEndpoint>(row.GetLargeText("Body")!);

    public static TableEntity Template(NotificationTemplate template)
    {
        var entity = new TableEntity(template.TenantId, RowKeys.Template(template.Event, template.Channel));
        entity.SetLargeText("Body", StoredJson.Serialize(template));
        return entity;
    }

    public static NotificationTemplate Template(TableEntity row) => StoredJson.Deserialize<NotificationTemplate>(row.GetLargeText("Body")!);

    /// <summary>A delivery as stored, in its own row or its list copy: the whole delivery, and what the list filters by.</summary>
    public static TableEntity Delivery(string rowKey, NotificationDelivery delivery)
    {
        var entity = new TableEntity(delivery.TenantId, rowKey);
        entity.Set("EndpointId", delivery.EndpointId);
        entity.Set("Status", (int)delivery.Status);
        entity.Set("EventType", delivery.Event.Type);
        entity.Set("CreatedAt", delivery.CreatedAt.UtcTicks);
        entity.SetLargeText("Body", StoredJson.Serialize(delivery));
        return entity;
    }

    public static NotificationDelivery Delivery(TableEntity row) => StoredJson.Deserialize<NotificationDelivery>(row.GetLargeText("Body")!);

    /// <summary>The list copy of the stored delivery row: where it was filed when it was created.</summary>
    public static string DeliveryListKey(TableEntity deliveryRow) =>
        RowKeys.DeliveryList(Time(deliveryRow.GetInt64("CreatedAt"))!.Value, deliveryRow.RowKey[RowKeys.DeliveryPrefix.Length..]);

    public static TableEntity FanOut(string tenantId, FannedOutEvent fannedOut)
    {
        var entity = new TableEntity(tenantId, RowKeys.FanOut(fannedOut.EventId));
        entity.Set("Sequence", fannedOut.Sequence);
        entity.Set("At", fannedOut.At.UtcTicks);
        entity.SetLargeText("Body", StoredJson.Serialize(fannedOut));
        return entity;
    }

    public static FannedOutEvent FanOut(TableEntity row) => StoredJson.Deserialize<FannedOutEvent>(row.GetLargeText("Body")!);

    public static TableEntity Sequence(string tenantId, FannedOutEvent fannedOut)
    {
        var entity = new TableEntity(tenantId, RowKeys.Sequence(fannedOut.Sequence));
        entity.Set("EventId", fannedOut.EventId);
        return entity;
    }

    public static Tenant Tenant(TableEntity row) => new(row.PartitionKey, row.GetString("Name")!, Time(row.GetInt64("CreatedAt"))!.Value);

    /// <summary>A key of the tenant: a tenant key, or an agent's key when <paramref name="agentId"/> is set.</summary>
    public static TableEntity Key(string tenantId, string keyHash, Guid? agentId)
    {
        var entity = new TableEntity(tenantId, RowKeys.Key(keyHash));
        entity.Set("AgentId", agentId?.ToString("N"));
        return entity;
    }

    public static Caller Caller(TableEntity keyRow) =>
        new(keyRow.PartitionKey, keyRow.GetString("AgentId") is { } agent ? Guid.ParseExact(agent, "N") : null);

    public static DateTimeOffset? Time(long? ticks) => ticks is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    private static RawJson? Json(string? text) => text is null ? null : new RawJson(text);

    private static IReadOnlyList<string> StringList(string? json) =>
        json is null or "[]" ? [] : JsonSerializer.Deserialize(json, TableJson.Default.IReadOnlyListString) ?? [];
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class TableJson : System.Text.Json.Serialization.JsonSerializerContext;
