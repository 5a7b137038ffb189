using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core.Analytics;
using Workforce.Core.Files;
using Workforce.Core.Forecasting;
using Workforce.Core.Plans;
using Workforce.Core.Queues;
using Workforce.Core.Reports;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;
using Workforce.Core.Usage;

namespace Workforce.Storage.Tests;

/// <summary>A storage backend under test: fresh, empty stores for one test, torn down after it.</summary>
public interface IStorageBackend : IAsyncDisposable
{
    IWorkforceStore Store { get; }

    ITenantDirectory Directory { get; }

    IWorkQueues Queues { get; }

    IBlobStore Blobs { get; }

    IAnalyticsStore Analytics { get; }

    IReportStore Reports { get; }

    IForecastStore Forecasts { get; }

    Core.Audit.IAuditLog Audit { get; }

    Core.Messaging.IMessageStore Messages { get; }

    /// <summary>Every transition the store published to its change feed, in order.</summary>
    IReadOnlyList<TaskTransition> Published { get; }

    /// <summary>Closes the stores and opens them again on the same data, as a restart would.</summary>
    Task ReopenAsync();

    /// <summary>Lets time pass for the backend: a fake clock jumps, a real service is waited for.</summary>
    Task AdvanceTimeAsync(TimeSpan by);

    /// <summary>Follows a download link as anyone holding it would, without a key.</summary>
    /// <returns>The content, or null when the link is refused.</returns>
    Task<byte[]?> DownloadAsync(Uri link);
}

/// <summary>The queues the contract tests use: short locks and few deliveries, so expiry can be observed quickly.</summary>
public static class TestQueues
{
    public const string Work = "contract-work";
    public const string Dropping = "contract-dropping";

    public static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(2);

    public static IReadOnlyList<QueueDefinition> All { get; } =
    [
        .. WorkQueues.All,
        new(Work, LockDuration, MaxDeliveryCount: 2, TimeSpan.FromSeconds(30), DeadLetteringOnMessageExpiration: true),
        new(Dropping, LockDuration, MaxDeliveryCount: 2, TimeSpan.FromSeconds(30), DeadLetteringOnMessageExpiration: false),
    ];
}

/// <summary>The plans the contract tests meter against: Free with small limits, so that reaching one is quick.</summary>
public static class TestBilling
{
    public const long FreeTasks = 5;

    public static BillingOptions Options()
    {
        var options = new BillingOptions { GracePeriod = TimeSpan.FromMinutes(5) };
        var free = options.Plans[Plan.Free];
        (free.Tasks, free.ComputeMinutes, free.ApiCalls, free.StorageGigabytes) = (FreeTasks, 1, 100, 0.000_001m);
        return options;
    }

    public static PlanCatalogue Plans() => new(Options());

    public static UsageMetering Metering() => Metering(Options());

    public static UsageMetering Metering(BillingOptions options) => new(options, new PlanCatalogue(options));
}

/// <summary>Collects what a store publishes.</summary>
public sealed class RecordingObserver : ITaskObserver
{
    private readonly List<TaskTransition> _published = [];

    public IReadOnlyList<TaskTransition> Published
    {
        get
        {
            lock (_published)
            {
                return [.. _published];
            }
        }
    }

    public TaskChangeFeed Feed() => new(() => [this], NullLogger<TaskChangeFeed>.Instance);

    public void OnCommitted(IReadOnlyList<TaskTransition> transitions)
    {
        lock (_published)
        {
            _published.AddRange(transitions);
        }
    }
}
