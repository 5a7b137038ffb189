using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Workforce.Core.Notifications;
using Workforce.Core.Tasks;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// The row keys of a tenant's partition (see docs/architecture.md, "Storage: Azure Tables"). Every key starts with
/// its kind, so each kind is one contiguous key range; numbers are zero-padded so that string order is number order.
/// </summary>
internal static class RowKeys
{
    public const string Tenant = "tenant";
    public const string TaskPrefix = "task_";
    public const string ListPrefix = "list_";
    public const string PendingPrefix = "pend_";
    public const string HeldPrefix = "held_";
    public const string DonePrefix = "done_";
    public const string HistoryPrefix = "hist_";
    public const string AgentPrefix = "agent_";
    public const string KeyPrefix = "key_";
    public const string SubmissionPrefix = "idem_";
    public const string CounterPrefix = "count_";
    public const string UsagePrefix = "usage_";
    public const string UsageEventPrefix = "uevt_";
    public const string InvoicePrefix = "invc_";
    public const string EndpointPrefix = "nend_";
    public const string TemplatePrefix = "ntpl_";
    public const string DeliveryPrefix = "ndlv_";
    public const string DeliveryListPrefix = "nlst_";
    public const string FanOutPrefix = "nfan_";
    public const string SequencePrefix = "nseq_";

    /// <summary>The task itself, found by id.</summary>
    public static string Task(Guid taskId) => TaskPrefix + Id(taskId);

    /// <summary>A copy of the task in list order: newest submission first.</summary>
    public static string List(long seq, Guid taskId) => $"{ListPrefix}{Number(long.MaxValue - seq)}_{Id(taskId)}";

    /// <summary>A copy of a pending task in lease order: highest priority first, then submission order.</summary>
    public static string Pending(TaskPriority priority, long seq, Guid taskId) =>
        $"{PendingPrefix}{(int)TaskPriority.Critical - (int)priority}_{Number(seq)}_{Id(taskId)}";

    public static TaskPriority PriorityOfPending(string rowKey) => TaskPriority.Critical - (rowKey[PendingPrefix.Length] - '0');

    /// <summary>A pointer from an agent to a task it holds (assigned or running).</summary>
    public static string Held(Guid agentId, Guid taskId) => HeldPrefix + Id(agentId) + "_" + Id(taskId);

    public static string HeldBy(Guid agentId) => HeldPrefix + Id(agentId) + "_";

    /// <summary>A pointer to a finished task in order of finishing, for purging.</summary>
    public static string Done(DateTimeOffset completedAt, Guid taskId) => $"{DonePrefix}{Number(completedAt.UtcTicks)}_{Id(taskId)}";

    public static string DoneBefore(DateTimeOffset cutoff) => DonePrefix + Number(cutoff.UtcTicks);

    public static string History(Guid taskId, int revision) => $"{HistoryPrefix}{Id(taskId)}_{revision.ToString("D10", CultureInfo.InvariantCulture)}";

    public static string HistoryOf(Guid taskId) => HistoryPrefix + Id(taskId) + "_";

    public static string Agent(Guid agentId) => AgentPrefix + Id(agentId);

    public static string Key(string keyHash) => KeyPrefix + keyHash;

    /// <summary>Idempotency keys are any text; the row key is their SHA-256, which has no character a key may not hold.</summary>
    public static string Submission(string idempotencyKey) =>
        SubmissionPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));

    public static string Counter(int shard) => CounterPrefix + shard.ToString(CultureInfo.InvariantCulture);

    /// <summary>The counters of a billing period, newest period first, so one query finds a period or the last one before it.</summary>
    public static string Usage(DateTimeOffset periodStart) => UsagePrefix + Number(long.MaxValue - periodStart.UtcTicks);

    public static DateTimeOffset PeriodOfUsage(string rowKey) =>
        new(long.MaxValue - long.Parse(rowKey.AsSpan(UsagePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);

    /// <summary>A metered event in order of occurrence; its id makes inserting it twice a conflict, which is how a repeat is caught.</summary>
    public static string UsageEvent(DateTimeOffset occurredAt, string id) => $"{UsageEventPrefix}{Number(occurredAt.UtcTicks)}_{id}";

    public static string UsageEventsFrom(DateTimeOffset at) => UsageEventPrefix + Number(at.UtcTicks);

    /// <summary>An invoice; its id starts with the period, so the keys are in period order.</summary>
    public static string Invoice(string invoiceId) => InvoicePrefix + invoiceId;

    public static string Endpoint(string endpointId) => EndpointPrefix + endpointId;

    /// <summary>A template, one per event and channel: saving another of the same pair replaces it.</summary>
    public static string Template(string eventType, NotificationChannel channel) =>
        $"{TemplatePrefix}{eventType}_{channel.ToString().ToLowerInvariant()}";

    /// <summary>The delivery itself, found by id.</summary>
    public static string Delivery(string deliveryId) => DeliveryPrefix + deliveryId;

    /// <summary>A copy of the delivery in list order: newest first, then by id.</summary>
    public static string DeliveryList(DateTimeOffset createdAt, string deliveryId) =>
        $"{DeliveryListPrefix}{Number(long.MaxValue - createdAt.UtcTicks)}_{deliveryId}";

    /// <summary>
    /// Where the list copies of deliveries created before <paramref name="at"/> begin: those before this key were
    /// created at or after it. Nothing was created before the first tick, so then it is past every copy (':' follows the digits).
    /// </summary>
    public static string DeliveriesCreatedBefore(DateTimeOffset at) =>
        at.UtcTicks == 0 ? DeliveryListPrefix + ":" : DeliveryListPrefix + Number(long.MaxValue - at.UtcTicks + 1);

    public static string DeliveryIdOfList(string rowKey) => rowKey[(DeliveryListPrefix.Length + 20)..];

    /// <summary>The record of an event's fan-out; inserting it twice fails the commit.</summary>
    public static string FanOut(string eventId) => FanOutPrefix + eventId;

    /// <summary>
    /// The sequence a fan-out took, highest first, so the first row of the range is the last sequence. Inserted
    /// with the fan-out: of two commits that took the same sequence, the second fails on it.
    /// </summary>
    public static string Sequence(long sequence) => SequencePrefix + Number(long.MaxValue - sequence);

    public static long SequenceOf(string rowKey) =>
        long.MaxValue - long.Parse(rowKey.AsSpan(SequencePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture);

    public static Guid TaskIdOfPointer(string rowKey) => Guid.ParseExact(rowKey[^32..], "N");

    private static string Id(Guid id) => id.ToString("N");

    private static string Number(long value) => value.ToString("D19", CultureInfo.InvariantCulture);
}
