using Workforce.Core.Agents;
using Workforce.Core.Billing;
using Workforce.Core.Notifications;
using Workforce.Core.Queues;
using Workforce.Core.Storage;
using Workforce.Core.Subscriptions;
using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Core.Tests;

/// <summary>
/// A plain in-memory <see cref="IWorkforceStore"/> for use-case tests: transactions run one at a time and their
/// writes apply only if the work returns, like the real adapters. A tenant's default subscription is anchored at its
/// first transaction.
/// </summary>
internal sealed class InMemoryWorkforceStore(TaskChangeFeed changes, UsageMetering metering, TimeProvider clock) : IWorkforceStore
{
    private readonly Dictionary<string, Subscription> _subscriptions = [];
    private readonly Dictionary<(string Tenant, DateTimeOffset PeriodStart), PeriodUsage> _usage = [];
    private readonly Dictionary<string, long> _storageBytes = [];
    private readonly Dictionary<(string Tenant, string Id), UsageEvent> _events = [];
    private readonly Dictionary<(string Tenant, string Id), Invoice> _invoices = [];
    private readonly Dictionary<(string Tenant, string Id), NotificationEndpoint> _endpoints = [];
    private readonly Dictionary<(string Tenant, string Event, NotificationChannel Channel), NotificationTemplate> _templates = [];
    private readonly Dictionary<(string Tenant, string Id), NotificationDelivery> _deliveries = [];
    private readonly Dictionary<(string Tenant, string EventId), FannedOutEvent> _fanOuts = [];
    private readonly UsageMetering _metering = metering;
    private readonly TimeProvider _clock = clock;

    private readonly List<TaskTransition> _history = [];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<Guid, (long Seq, WorkTask Task)> _tasks = [];
    private readonly Dictionary<Guid, Agent> _agents = [];
    private readonly Dictionary<string, IdempotentSubmission> _submissions = [];
    private readonly Dictionary<Guid, string> _agentKeys = [];
    private long _nextSeq;

    public IReadOnlyDictionary<Guid, string> AgentKeyHashes => _agentKeys;

    /// <summary>Every warning the committed transactions raised, in order.</summary>
    public List<QuotaNotice> Notices { get; } = [];

    public List<QueueMessage> SentMessages { get; } = [];

    public async Task<T> TransactAsync<T>(string tenantId, Func<ITenantTransaction, ValueTask<T>> work, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var transaction = new Transaction(this, tenantId);
            var result = await work(transaction);
            transaction.Apply();
            changes.Publish(transaction.Recorded);
            Notices.AddRange(transaction.Notices);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<TaskTransition>> GetTaskHistoryAsync(string tenantId, Guid taskId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TaskTransition>>([.. _history.Where(t => t.TenantId == tenantId && t.TaskId == taskId)]);

    public Task<TaskCounts> CountTasksAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var tasks = _tasks.Values.Select(r => r.Task).Where(t => t.TenantId == tenantId).ToList();
        return Task.FromResult(new TaskCounts(
            tasks.Where(t => t.State == TaskState.Pending).GroupBy(t => t.Priority).ToDictionary(g => g.Key, g => g.Count()),
            tasks.Count(t => t.State == TaskState.Assigned),
            tasks.Count(t => t.State == TaskState.Running)));
    }

    public Task<IReadOnlyList<WorkTask>> ListHeldTasksAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<WorkTask>>([.. _tasks.Values.Select(r => r.Task).Where(t => t.State.HoldsAgent())]);

    public Task<IReadOnlyList<AgentRef>> FindSilentAgentsAsync(DateTimeOffset heardBefore, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AgentRef>>([.. _agents.Values
            .Where(a => a.Status != AgentStatus.Offline && a.LastHeartbeatAt < heardBefore)
            .Take(limit)
            .Select(a => new AgentRef(a.TenantId, a.Id))]);

    public Task<int> PurgeFinishedTasksAsync(DateTimeOffset finishedBefore, int limit, CancellationToken cancellationToken = default)
    {
        var finished = _tasks.Values.Where(r => r.Task.CompletedAt < finishedBefore).Take(limit).Select(r => r.Task.Id).ToList();
        finished.ForEach(id => _tasks.Remove(id));
        return Task.FromResult(finished.Count);
    }

    public Task<int> PurgeExpiredSubmissionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var expired = _submissions.Where(s => s.Value.ExpiresAt <= now).Take(limit).Select(s => s.Key).ToList();
        expired.ForEach(key => _submissions.Remove(key));
        return Task.FromResult(expired.Count);
    }

    public Task<Subscription?> FindSubscriptionAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_subscriptions.GetValueOrDefault(tenantId));

    public Task<PeriodUsage> FindUsageAsync(string tenantId, DateTimeOffset periodStart, CancellationToken cancellationToken = default) =>
        Task.FromResult(Usage(tenantId, periodStart));

    public IAsyncEnumerable<UsageEvent> QueryUsageAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _events.Where(e => e.Key.Tenant == tenantId && e.Value.OccurredAt >= from && e.Value.OccurredAt < to)
            .Select(e => e.Value).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToList().ToAsyncEnumerable();

    public Task<int> PurgeUsageEventsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        var old = _events.Where(e => e.Value.OccurredAt < before).Take(limit).Select(e => e.Key).ToList();
        old.ForEach(key => _events.Remove(key));
        return Task.FromResult(old.Count);
    }

    public Task<Invoice?> FindInvoiceAsync(string tenantId, string invoiceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_invoices.GetValueOrDefault((tenantId, invoiceId)));

    public Task<IReadOnlyList<Invoice>> ListInvoicesAsync(string tenantId, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Invoice>>([.. _invoices.Values.Where(i => i.TenantId == tenantId).OrderByDescending(i => i.Period.Start).Take(limit)]);

    public Task<IReadOnlyList<NotificationEndpoint>> ListNotificationEndpointsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<NotificationEndpoint>>(InCreationOrder(_endpoints.Values.Where(e => e.TenantId == tenantId)));

    public Task<IReadOnlyList<NotificationTemplate>> ListNotificationTemplatesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<NotificationTemplate>>([.. _templates.Values.Where(t => t.TenantId == tenantId)]);

    public Task<NotificationDelivery?> FindDeliveryAsync(string tenantId, string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_deliveries.GetValueOrDefault((tenantId, deliveryId)));

    /// <summary>The cursor is the position of the last delivery shown: its creation ticks and id.</summary>
    public Task<Page<NotificationDelivery>> ListDeliveriesAsync(string tenantId, DeliveryFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        var after = page.Cursor is null ? ((long Ticks, string Id)?)null
            : page.Cursor.Split(':', 2) is [var ticks, var id] && long.TryParse(ticks, System.Globalization.CultureInfo.InvariantCulture, out var t) ? (t, id)
            : throw new InvalidCursorException("The cursor is not valid.");
        var matches = _deliveries.Values
            .Where(d => d.TenantId == tenantId
                && (filter.EndpointId is null || d.EndpointId == filter.EndpointId)
                && (filter.Status is null || d.Status == filter.Status)
                && (filter.EventType is null || d.Event.Type == filter.EventType)
                && (filter.CreatedSince is null || d.CreatedAt >= filter.CreatedSince))
            .OrderByDescending(d => d.CreatedAt.UtcTicks).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Where(d => after is not { } a || d.CreatedAt.UtcTicks < a.Ticks || (d.CreatedAt.UtcTicks == a.Ticks && string.CompareOrdinal(d.Id, a.Id) > 0))
            .Take(page.Limit + 1)
            .ToList();
        var last = matches.Count > page.Limit ? matches[page.Limit - 1] : null;
        return Task.FromResult(new Page<NotificationDelivery>(
            [.. matches.Take(page.Limit)],
            last is null ? null : $"{last.CreatedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{last.Id}"));
    }

    /// <summary>Each tenant's latest fan-out record stays: it holds the tenant's last sequence.</summary>
    public Task<int> PurgeDeliveriesAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default)
    {
        var old = _deliveries.Where(d => d.Value.CreatedAt < createdBefore).Take(limit).Select(d => d.Key).ToList();
        old.ForEach(key => _deliveries.Remove(key));
        var latest = _fanOuts.GroupBy(f => f.Key.Tenant).Select(g => g.MaxBy(f => f.Value.Sequence).Key).ToHashSet();
        _fanOuts.Where(f => f.Value.At < createdBefore && !latest.Contains(f.Key)).Take(limit).Select(f => f.Key).ToList().ForEach(key => _fanOuts.Remove(key));
        return Task.FromResult(old.Count);
    }

    private static List<NotificationEndpoint> InCreationOrder(IEnumerable<NotificationEndpoint> endpoints) =>
        [.. endpoints.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal)];

    private PeriodUsage Usage(string tenantId, DateTimeOffset periodStart)
    {
        var storage = _storageBytes.GetValueOrDefault(tenantId);
        return _usage.TryGetValue((tenantId, periodStart), out var usage)
            ? usage with { StorageBytes = storage }
            : PeriodUsage.Empty(periodStart, storage);
    }

    public Task<WorkTask?> FindTaskAsync(string tenantId, Guid taskId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_tasks.TryGetValue(taskId, out var row) && row.Task.TenantId == tenantId ? row.Task : null);

    public Task<Page<WorkTask>> ListTasksAsync(string tenantId, TaskFilter filter, PageRequest page, CancellationToken cancellationToken = default) =>
        Task.FromResult(new Page<WorkTask>([.. _tasks.Values.Where(r => r.Task.TenantId == tenantId).OrderByDescending(r => r.Seq).Select(r => r.Task).Take(page.Limit)], null));

    public Task<Agent?> FindAgentAsync(string tenantId, Guid agentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_agents.TryGetValue(agentId, out var agent) && agent.TenantId == tenantId ? agent : null);

    public Task<Page<Agent>> ListAgentsAsync(string tenantId, AgentFilter filter, PageRequest page, CancellationToken cancellationToken = default) =>
        Task.FromResult(new Page<Agent>([.. _agents.Values.Where(a => a.TenantId == tenantId).Take(page.Limit)], null));

    private sealed class Transaction(InMemoryWorkforceStore store, string tenantId) : ITenantTransaction
    {
        private readonly List<Action> _writes = [];
        private readonly List<TaskTransition> _recorded = [];
        private readonly Dictionary<Guid, WorkTask> _taskView = [];
        private readonly Dictionary<Guid, Agent?> _agentView = [];
        private readonly Dictionary<DateTimeOffset, PeriodUsage> _usageView = [];
        private readonly HashSet<string> _eventsView = [];
        private readonly Dictionary<string, Invoice> _invoiceView = [];
        private readonly Dictionary<string, NotificationEndpoint?> _endpointView = [];
        private readonly Dictionary<(string Event, NotificationChannel Channel), NotificationTemplate?> _templateView = [];
        private readonly Dictionary<string, NotificationDelivery> _deliveryView = [];
        private readonly Dictionary<string, FannedOutEvent> _fanOutView = [];
        private Subscription? _subscription;

        public List<QuotaNotice> Notices { get; } = [];

        public ValueTask<Subscription> FindSubscriptionAsync() => ValueTask.FromResult(Subscription());

        private Subscription Subscription()
        {
            if (_subscription is null)
            {
                _subscription = store._subscriptions.GetValueOrDefault(tenantId) ?? store._metering.DefaultSubscription(tenantId, store._clock.GetUtcNow());
                var first = _subscription;
                _writes.Add(() => store._subscriptions.TryAdd(tenantId, first));
            }

            return _subscription;
        }

        public void Save(Subscription subscription)
        {
            _subscription = subscription;
            _writes.Add(() => store._subscriptions[tenantId] = subscription);
        }

        public ValueTask<PeriodUsage> FindUsageAsync(DateTimeOffset periodStart) => ValueTask.FromResult(Usage(periodStart));

        private PeriodUsage Usage(DateTimeOffset periodStart) =>
            _usageView.TryGetValue(periodStart, out var seen) ? seen : store.Usage(tenantId, periodStart);

        public ValueTask<Invoice?> FindInvoiceAsync(string invoiceId) =>
            ValueTask.FromResult(_invoiceView.TryGetValue(invoiceId, out var seen) ? seen : store._invoices.GetValueOrDefault((tenantId, invoiceId)));

        public void Save(Invoice invoice)
        {
            _invoiceView[invoice.Id] = invoice;
            _writes.Add(() => store._invoices[(tenantId, invoice.Id)] = invoice);
        }

        public ValueTask<IReadOnlyList<NotificationEndpoint>> NotificationEndpointsAsync()
        {
            var endpoints = store._endpoints.Values.Where(e => e.TenantId == tenantId).ToDictionary(e => e.Id);
            foreach (var (id, seen) in _endpointView)
            {
                if (seen is null)
                {
                    endpoints.Remove(id);
                }
                else
                {
                    endpoints[id] = seen;
                }
            }

            return ValueTask.FromResult<IReadOnlyList<NotificationEndpoint>>(InCreationOrder(endpoints.Values));
        }

        public void Save(NotificationEndpoint endpoint)
        {
            _endpointView[endpoint.Id] = endpoint;
            _writes.Add(() => store._endpoints[(tenantId, endpoint.Id)] = endpoint);
        }

        public void Remove(NotificationEndpoint endpoint)
        {
            _endpointView[endpoint.Id] = null;
            _writes.Add(() => store._endpoints.Remove((tenantId, endpoint.Id)));
        }

        public ValueTask<IReadOnlyList<NotificationTemplate>> NotificationTemplatesAsync()
        {
            var templates = store._templates.Values.Where(t => t.TenantId == tenantId).ToDictionary(t => (t.Event, t.Channel));
            foreach (var (key, seen) in _templateView)
            {
                if (seen is null)
                {
                    templates.Remove(key);
                }
                else
                {
                    templates[key] = seen;
                }
            }

            return ValueTask.FromResult<IReadOnlyList<NotificationTemplate>>([.. templates.Values]);
        }

        public void Save(NotificationTemplate template)
        {
            _templateView[(template.Event, template.Channel)] = template;
            _writes.Add(() => store._templates[(tenantId, template.Event, template.Channel)] = template);
        }

        public void Remove(NotificationTemplate template)
        {
            _templateView[(template.Event, template.Channel)] = null;
            _writes.Add(() => store._templates.Remove((tenantId, template.Event, template.Channel)));
        }

        public ValueTask<NotificationDelivery?> FindDeliveryAsync(string deliveryId) =>
            ValueTask.FromResult(_deliveryView.TryGetValue(deliveryId, out var seen) ? seen : store._deliveries.GetValueOrDefault((tenantId, deliveryId)));

        public void Save(NotificationDelivery delivery)
        {
            _deliveryView[delivery.Id] = delivery;
            _writes.Add(() => store._deliveries[(tenantId, delivery.Id)] = delivery);
        }

        public ValueTask<FannedOutEvent?> FindFannedOutEventAsync(string eventId) =>
            ValueTask.FromResult(_fanOutView.TryGetValue(eventId, out var seen) ? seen : store._fanOuts.GetValueOrDefault((tenantId, eventId)));

        public ValueTask<long> LastNotificationSequenceAsync() => ValueTask.FromResult(FanOuts().Select(f => f.Sequence).DefaultIfEmpty(0).Max());

        /// <summary>Transactions run one at a time here, so a sequence taken twice is a bug of the work: it fails at once.</summary>
        public void Add(FannedOutEvent fannedOut)
        {
            if (FanOuts().Any(f => f.Sequence == fannedOut.Sequence || f.EventId == fannedOut.EventId))
            {
                throw new InvalidOperationException($"Tenant {tenantId} already fanned out event {fannedOut.EventId} or gave sequence {fannedOut.Sequence}.");
            }

            _fanOutView[fannedOut.EventId] = fannedOut;
            _writes.Add(() => store._fanOuts[(tenantId, fannedOut.EventId)] = fannedOut);
        }

        private IEnumerable<FannedOutEvent> FanOuts() =>
            store._fanOuts.Where(f => f.Key.Tenant == tenantId).Select(f => f.Value).Concat(_fanOutView.Values);

        public void Meter(UsageEvent usage)
        {
            if (store._events.ContainsKey((tenantId, usage.Id)) || !_eventsView.Add(usage.Id))
            {
                return;
            }

            var now = store._clock.GetUtcNow();
            var subscription = Subscription();
            var periodStart = store._metering.PeriodOf(subscription, usage, now);
            var before = Usage(periodStart);
            var after = before.Add(usage.Meter, usage.Quantity);
            _usageView[periodStart] = after;
            Notices.AddRange(store._metering.Notices(subscription, usage.Meter, before, after, now));
            _writes.Add(() =>
            {
                store._events[(tenantId, usage.Id)] = usage;
                store._usage[(tenantId, periodStart)] = after;
                store._storageBytes[tenantId] = after.StorageBytes;
            });
        }

        public ValueTask<WorkTask?> FindTaskAsync(Guid taskId) => ValueTask.FromResult(Task(taskId));

        public ValueTask<Agent?> FindAgentAsync(Guid agentId)
        {
            var agent = _agentView.TryGetValue(agentId, out var seen) ? seen
                : store._agents.TryGetValue(agentId, out var stored) && stored.TenantId == tenantId ? stored : null;
            return ValueTask.FromResult(agent);
        }

        public IAsyncEnumerable<WorkTask> PendingTasksInLeaseOrder(DateTimeOffset now) =>
            store._tasks.Values
                .Where(r => r.Task.TenantId == tenantId)
                .Select(r => (r.Seq, Task: Task(r.Task.Id)!))
                .Where(r => r.Task.State == TaskState.Pending)
                .OrderByDescending(r => r.Task.Priority).ThenBy(r => r.Seq)
                .Select(r => r.Task)
                .ToList()
                .ToAsyncEnumerable();

        public ValueTask<IReadOnlyList<WorkTask>> TasksHeldByAsync(Guid agentId) =>
            ValueTask.FromResult<IReadOnlyList<WorkTask>>([.. store._tasks.Keys.Select(Task).Where(t => t!.AssignedAgentId == agentId && t.State.HoldsAgent())!]);

        public ValueTask<int> CountPendingTasksAsync() =>
            ValueTask.FromResult(store._tasks.Keys.Select(Task).Count(t => t is { State: TaskState.Pending }));

        public ValueTask<IdempotentSubmission?> FindSubmissionAsync(string idempotencyKey, DateTimeOffset now) =>
            ValueTask.FromResult(store._submissions.TryGetValue(tenantId + "/" + idempotencyKey, out var s) && s.ExpiresAt > now ? s : null);

        public void Add(WorkTask task)
        {
            _taskView[task.Id] = task;
            _writes.Add(() => store._tasks[task.Id] = (store._nextSeq++, task));
        }

        public void Update(WorkTask task)
        {
            _taskView[task.Id] = task;
            _writes.Add(() => store._tasks[task.Id] = (store._tasks[task.Id].Seq, task));
        }

        public void Revise(WorkTask task)
        {
            _taskView[task.Id] = task;
            _writes.Add(() => store._tasks[task.Id] = (store._tasks[task.Id].Task.Priority == task.Priority ? store._tasks[task.Id].Seq : store._nextSeq++, task));
        }

        public void Remove(WorkTask task)
        {
            _taskView.Remove(task.Id);
            _writes.Add(() =>
            {
                store._tasks.Remove(task.Id);
                store._history.RemoveAll(t => t.TaskId == task.Id);
            });
        }

        public void Add(IdempotentSubmission submission) =>
            _writes.Add(() => store._submissions[tenantId + "/" + submission.Key] = submission);

        public void Add(Agent agent, string agentKeyHash)
        {
            _agentView[agent.Id] = agent;
            _writes.Add(() =>
            {
                store._agents[agent.Id] = agent;
                store._agentKeys[agent.Id] = agentKeyHash;
            });
        }

        public void Update(Agent agent)
        {
            _agentView[agent.Id] = agent;
            _writes.Add(() => store._agents[agent.Id] = agent);
        }

        public void Remove(Agent agent)
        {
            _agentView[agent.Id] = null;
            _writes.Add(() =>
            {
                store._agents.Remove(agent.Id);
                store._agentKeys.Remove(agent.Id);
            });
        }

        public IReadOnlyList<TaskTransition> Recorded => _recorded;

        public void Record(TaskTransition transition)
        {
            _recorded.Add(transition);
            _writes.Add(() => store._history.Add(transition));
        }

        public void Send(QueueMessage message) => _writes.Add(() => store.SentMessages.Add(message));

        public void Apply() => _writes.ForEach(write => write());

        private WorkTask? Task(Guid id) =>
            _taskView.TryGetValue(id, out var seen) ? seen
            : store._tasks.TryGetValue(id, out var row) && row.Task.TenantId == tenantId ? row.Task : null;
    }
}
