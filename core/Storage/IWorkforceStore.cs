using Workforce.Core.Agents;
using Workforce.Core.Billing;
using Workforce.Core.Notifications;
using Workforce.Core.Queues;
using Workforce.Core.Subscriptions;
using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Core.Storage;

/// <summary>
/// The tenant-scoped data of the platform: agents, tasks and idempotency records.
/// Every change goes through <see cref="TransactAsync{T}"/>; reads that need no atomicity use the query methods.
/// </summary>
public interface IWorkforceStore
{
    /// <summary>
    /// Runs <paramref name="work"/> atomically against one tenant's data and returns once its changes are durable;
    /// then publishes the transitions it recorded to the <see cref="TaskChangeFeed"/>. An adapter may run the work
    /// more than once (to retry an optimistic-concurrency conflict), so the work must have no effect other than
    /// through the transaction.
    /// </summary>
    Task<T> TransactAsync<T>(string tenantId, Func<ITenantTransaction, ValueTask<T>> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="TransactAsync{T}"/> for a change whose caller is in no hurry (a heartbeat): the store may hold it
    /// briefly so that it shares a commit, and its disk sync, with others. It is durable when it returns, like every
    /// transaction; only its latency differs.
    /// </summary>
    Task<T> TransactCoalescedAsync<T>(string tenantId, Func<ITenantTransaction, ValueTask<T>> work, CancellationToken cancellationToken = default) =>
        TransactAsync(tenantId, work, cancellationToken);

    Task<WorkTask?> FindTaskAsync(string tenantId, Guid taskId, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by this store.</exception>
    Task<Page<WorkTask>> ListTasksAsync(string tenantId, TaskFilter filter, PageRequest page, CancellationToken cancellationToken = default);

    Task<Agent?> FindAgentAsync(string tenantId, Guid agentId, CancellationToken cancellationToken = default);

    /// <summary>In registration order.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by this store.</exception>
    Task<Page<Agent>> ListAgentsAsync(string tenantId, AgentFilter filter, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>How many of the tenant's tasks wait, per priority, and how many its agents hold; for live queue views.</summary>
    Task<TaskCounts> CountTasksAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The task's transitions, oldest first; empty when the task does not exist in the tenant.</summary>
    Task<IReadOnlyList<TaskTransition>> GetTaskHistoryAsync(string tenantId, Guid taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tasks of every tenant that an agent holds (assigned or running): as many as the agents have slots, so few
    /// enough to read at once. What must catch up with the tasks after a restart reads them.
    /// </summary>
    Task<IReadOnlyList<WorkTask>> ListHeldTasksAsync(CancellationToken cancellationToken = default);

    /// <summary>Agents of any tenant, not yet offline, whose last heartbeat is older than <paramref name="heardBefore"/>.</summary>
    Task<IReadOnlyList<AgentRef>> FindSilentAgentsAsync(DateTimeOffset heardBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> terminal tasks (with their history) that finished before the cutoff.</summary>
    /// <returns>How many were deleted; fewer than the limit means none are left.</returns>
    Task<int> PurgeFinishedTasksAsync(DateTimeOffset finishedBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> idempotency records that expired before <paramref name="now"/>.</summary>
    Task<int> PurgeExpiredSubmissionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>The tenant's subscription (see <see cref="ITenantTransaction.FindSubscriptionAsync"/>); null when the tenant does not exist.</summary>
    Task<Subscription?> FindSubscriptionAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's counters of the period that starts at <paramref name="periodStart"/>, as <see cref="ITenantTransaction.FindUsageAsync"/> reads them.</summary>
    Task<PeriodUsage> FindUsageAsync(string tenantId, DateTimeOffset periodStart, CancellationToken cancellationToken = default);

    /// <summary>The tenant's usage events that occurred at or after <paramref name="from"/> and before <paramref name="to"/>, oldest first.</summary>
    IAsyncEnumerable<UsageEvent> QueryUsageAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> usage events that occurred before <paramref name="before"/>; their counters stay.</summary>
    Task<int> PurgeUsageEventsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default);

    Task<Invoice?> FindInvoiceAsync(string tenantId, string invoiceId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's invoices, newest period first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Invoice>> ListInvoicesAsync(string tenantId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The tenant's notification endpoints, in creation order (a tenant has few: see <see cref="NotificationOptions.MaxEndpointsPerTenant"/>).</summary>
    Task<IReadOnlyList<NotificationEndpoint>> ListNotificationEndpointsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's own notification templates, in no particular order.</summary>
    Task<IReadOnlyList<NotificationTemplate>> ListNotificationTemplatesAsync(string tenantId, CancellationToken cancellationToken = default);

    Task<NotificationDelivery?> FindDeliveryAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's deliveries that match the filter, newest first (by creation time, then id).</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by this store.</exception>
    Task<Page<NotificationDelivery>> ListDeliveriesAsync(string tenantId, DeliveryFilter filter, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> deliveries of any tenant created before the cutoff, with the fan-out records of their events.</summary>
    /// <returns>How many deliveries were deleted; fewer than the limit means none are left.</returns>
    Task<int> PurgeDeliveriesAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default);
}

/// <summary>One tenant's data inside a transaction. Changes become visible to others only when it commits.</summary>
public interface ITenantTransaction
{
    ValueTask<WorkTask?> FindTaskAsync(Guid taskId);

    ValueTask<Agent?> FindAgentAsync(Guid agentId);

    /// <summary>
    /// Pending tasks in lease order: strict priority (critical first), then submission order. Tasks still in
    /// retry backoff at <paramref name="now"/> may be skipped by the store or left for the caller to skip.
    /// </summary>
    IAsyncEnumerable<WorkTask> PendingTasksInLeaseOrder(DateTimeOffset now);

    /// <summary>The tasks an agent holds (assigned or running).</summary>
    ValueTask<IReadOnlyList<WorkTask>> TasksHeldByAsync(Guid agentId);

    ValueTask<int> CountPendingTasksAsync();

    /// <summary>The submission recorded under this idempotency key, unless it has expired by <paramref name="now"/>.</summary>
    ValueTask<IdempotentSubmission?> FindSubmissionAsync(string idempotencyKey, DateTimeOffset now);

    void Add(WorkTask task);

    void Update(WorkTask task);

    /// <summary>
    /// Writes a pending task whose priority, payload, required capabilities or deadline changed (<see cref="UpdateTask"/>),
    /// with the rest of it. A changed priority puts the task at the end of its new priority's line, behind every task
    /// submitted before now and ahead of every one submitted after, as a submission now would (and so at the top of
    /// the newest-first list); otherwise it keeps its place.
    /// </summary>
    void Revise(WorkTask task);

    /// <summary>Deletes the task with its history and its index rows (<see cref="DeleteTask"/>); transitions recorded for it in this transaction are still published.</summary>
    void Remove(WorkTask task);

    void Add(IdempotentSubmission submission);

    /// <summary>Registers the agent together with the hash of the key that lets it act as itself.</summary>
    void Add(Agent agent, string agentKeyHash);

    void Update(Agent agent);

    /// <summary>Removes the agent and revokes its key.</summary>
    void Remove(Agent agent);

    /// <summary>Appends a transition to its task's history; published to the change feed after the commit.</summary>
    void Record(TaskTransition transition);

    /// <summary>Sends a message as part of the transaction: it is on its queue if and only if the transaction commits.</summary>
    void Send(QueueMessage message);

    /// <summary>
    /// The tenant's subscription. A tenant whose subscription was never changed has none stored and is on the Free
    /// plan, anchored at the tenant's creation, with the configured period length.
    /// </summary>
    ValueTask<Subscription> FindSubscriptionAsync();

    void Save(Subscription subscription);

    /// <summary>The counters of the period that starts at <paramref name="periodStart"/>; empty (storage carried over) when nothing was metered in it.</summary>
    ValueTask<PeriodUsage> FindUsageAsync(DateTimeOffset periodStart);

    /// <summary>
    /// Meters the event in the period of the tenant's subscription that it falls in, with the transaction: its
    /// counters grow if and only if it commits. An event whose id is already kept is ignored. Storage is a gauge:
    /// its events change the bytes kept now (and the period's peak) and are not kept themselves.
    /// </summary>
    void Meter(UsageEvent usage);

    ValueTask<Invoice?> FindInvoiceAsync(string invoiceId);

    /// <summary>Adds the invoice or replaces it whole (invoices change as they are charged and refunded).</summary>
    void Save(Invoice invoice);

    /// <summary>The tenant's notification endpoints, in creation order.</summary>
    ValueTask<IReadOnlyList<NotificationEndpoint>> NotificationEndpointsAsync();

    /// <summary>Adds the endpoint or replaces it whole.</summary>
    void Save(NotificationEndpoint endpoint);

    void Remove(NotificationEndpoint endpoint);

    ValueTask<IReadOnlyList<NotificationTemplate>> NotificationTemplatesAsync();

    /// <summary>Adds the template or replaces the one of the same event and channel.</summary>
    void Save(NotificationTemplate template);

    void Remove(NotificationTemplate template);

    ValueTask<NotificationDelivery?> FindDeliveryAsync(string deliveryId);

    /// <summary>Adds the delivery or replaces it whole (deliveries change with every attempt).</summary>
    void Save(NotificationDelivery delivery);

    /// <summary>The record of the event's fan-out; null when it has not been fanned out.</summary>
    ValueTask<FannedOutEvent?> FindFannedOutEventAsync(string eventId);

    /// <summary>The highest sequence the tenant's fanned-out events have been given; 0 before the first.</summary>
    ValueTask<long> LastNotificationSequenceAsync();

    /// <summary>
    /// Records the fan-out. Its sequence must be the last plus one: two transactions that read the same last sequence
    /// cannot both commit (the store runs the loser again, or serialises them).
    /// </summary>
    void Add(FannedOutEvent fannedOut);
}

/// <summary>Names an agent across tenants.</summary>
public sealed record AgentRef(string TenantId, Guid AgentId);

/// <summary>A tenant's unfinished tasks: pending ones per priority (in backoff or not), and those held by agents.</summary>
public sealed record TaskCounts(IReadOnlyDictionary<TaskPriority, int> Pending, int Assigned, int Running)
{
    public int PendingAt(TaskPriority priority) => Pending.GetValueOrDefault(priority);
}

public sealed record TaskFilter(TaskState? State = null, TaskPriority? Priority = null, Guid? AgentId = null);

/// <param name="CreatedSince">Only deliveries created at or after it (a replay's <c>since</c>).</param>
public sealed record DeliveryFilter(string? EndpointId = null, DeliveryStatus? Status = null, string? EventType = null, DateTimeOffset? CreatedSince = null);

public sealed record AgentFilter(AgentStatus? Status = null, string? Capability = null);

public sealed record PageRequest(int Limit, string? Cursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A submission remembered under its <c>Idempotency-Key</c>, with a fingerprint of the request body.</summary>
public sealed record IdempotentSubmission(string Key, Guid TaskId, string Fingerprint, DateTimeOffset ExpiresAt);

public sealed class InvalidCursorException(string message) : FormatException(message);
