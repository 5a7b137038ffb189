using Workforce.Core.Usage;

namespace Workforce.Storage.Tests;

/// <summary>What every <see cref="IUsageStore"/> must do.</summary>
public abstract class UsageStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset March = new(2026, 3, 31, 23, 0, 0, TimeSpan.Zero);

    protected IStorageBackend Backend { get; private set; } = null!;

    private IUsageStore Usage => Backend.Usage;

    public async ValueTask InitializeAsync() => Backend = await CreateBackendAsync();

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task Records_of_a_period_come_back_oldest_first_across_months()
    {
        var records = new[]
        {
            new UsageRecord("t1", "task:1:completed", "tasks", 1, March),
            new UsageRecord("t1", "task:2/agent-seconds", "agent-seconds", 12.5, March.AddHours(2)),
            new UsageRecord("t1", "task:3:completed", "tasks", 1, March.AddDays(20)),
            new UsageRecord("t1", "late", "tasks", 1, March.AddDays(40)),
            new UsageRecord("t2", "task:9:completed", "tasks", 1, March.AddHours(1)),
        };
        foreach (var record in records.Reverse())
        {
            await Usage.RecordAsync(record);
        }

        var period = await Collect(Usage.QueryAsync("t1", March, March.AddDays(30)));

        Assert.Equal(records[..3], period);
    }

    [Fact]
    public async Task Recording_the_same_record_again_counts_it_once()
    {
        var record = new UsageRecord("t1", "task:1:completed", "tasks", 1, March);

        await Usage.RecordAsync(record);
        await Usage.RecordAsync(record);
        await Usage.RecordAsync(record with { Quantity = 5 });

        Assert.Equal([record], await Collect(Usage.QueryAsync("t1", March.AddDays(-1), March.AddDays(1))));
    }

    [Fact]
    public async Task A_record_without_an_id_is_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Usage.RecordAsync(new UsageRecord("t1", "", "tasks", 1, March)));

    private static async Task<List<UsageRecord>> Collect(IAsyncEnumerable<UsageRecord> records)
    {
        var list = new List<UsageRecord>();
        await foreach (var record in records)
        {
            list.Add(record);
        }

        return list;
    }
}

public sealed class SqliteUsageStoreContract : UsageStoreContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureUsageStoreContract : UsageStoreContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
