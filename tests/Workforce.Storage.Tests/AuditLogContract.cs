using Workforce.Core.Audit;
using Workforce.Core.Storage;

namespace Workforce.Storage.Tests;

/// <summary>
/// What every <see cref="IAuditLog"/> must do: entries kept whole and never twice under one id, listed per tenant
/// newest first within a time range, filtered by actor and action, a page at a time; purged by age across tenants in
/// bounded batches.
/// </summary>
public abstract class AuditLogContract : IAsyncLifetime
{
    private const string Tenant = "audited";
    private const string Other = "someone-else";
    private static readonly DateTimeOffset At = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);

    private IStorageBackend _backend = null!;

    private IAuditLog Log => _backend.Audit;

    public async ValueTask InitializeAsync() => _backend = await CreateBackendAsync();

    public async ValueTask DisposeAsync()
    {
        await _backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task An_appended_entry_reads_back_whole_and_a_retried_batch_adds_nothing_twice()
    {
        var entry = Entry(Tenant, At, "key:0123456789ab", "POST v1/tasks/{id}/cancel") with
        {
            Target = "id=6f1c1a9e-0000-4000-8000-000000000001",
            Status = 409,
            ClientIp = "203.0.113.9",
            RequestId = "0HN:00000001",
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        };

        await Log.AppendAsync([entry]);
        await Log.AppendAsync([entry]);

        var page = await Log.QueryAsync(Everything(Tenant), new PageRequest(10, null));
        Assert.Equal([entry], page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Entries_list_newest_first_within_the_range_and_only_the_tenants_own()
    {
        await Log.AppendAsync(
        [
            Entry(Tenant, At, "a", "POST v1/tasks"),
            Entry(Tenant, At.AddMinutes(2), "a", "POST v1/agents"),
            Entry(Tenant, At.AddMinutes(1), "a", "DELETE v1/agents/{id}"),
            Entry(Other, At.AddMinutes(1), "a", "POST v1/tasks"),
            Entry(Tenant, At.AddMinutes(5), "a", "POST v1/tasks"),
        ]);

        var page = await Log.QueryAsync(new AuditQuery(Tenant, At, At.AddMinutes(5), null, null), new PageRequest(10, null));

        Assert.Equal([At.AddMinutes(2), At.AddMinutes(1), At], page.Items.Select(e => e.At));
        Assert.All(page.Items, e => Assert.Equal(Tenant, e.TenantId));
        Assert.Empty((await Log.QueryAsync(new AuditQuery(Tenant, At.AddTicks(1), At.AddMinutes(1), null, null), new PageRequest(10, null))).Items);
    }

    [Fact]
    public async Task Actor_and_action_filters_narrow_the_list()
    {
        await Log.AppendAsync(
        [
            Entry(Tenant, At, "key:aaaa", "POST v1/tasks"),
            Entry(Tenant, At.AddSeconds(1), "agent:1", "POST v1/tasks/{id}/complete"),
            Entry(Tenant, At.AddSeconds(2), "key:aaaa", "POST v1/tasks/{id}/cancel"),
            Entry(Tenant, At.AddSeconds(3), "key:aaaa", "POST v1/tasks"),
        ]);

        var byActor = await Log.QueryAsync(Everything(Tenant) with { Actor = "key:aaaa" }, new PageRequest(10, null));
        var byAction = await Log.QueryAsync(Everything(Tenant) with { Action = "POST v1/tasks" }, new PageRequest(10, null));
        var both = await Log.QueryAsync(Everything(Tenant) with { Actor = "agent:1", Action = "POST v1/tasks" }, new PageRequest(10, null));

        Assert.Equal([At.AddSeconds(3), At.AddSeconds(2), At], byActor.Items.Select(e => e.At));
        Assert.Equal([At.AddSeconds(3), At], byAction.Items.Select(e => e.At));
        Assert.Empty(both.Items);
    }

    [Fact]
    public async Task Pages_follow_one_another_without_gaps_or_repeats_even_within_one_instant()
    {
        var entries = Enumerable.Range(0, 7).Select(i => Entry(Tenant, At.AddSeconds(i / 2), "key:aaaa", "POST v1/tasks")).ToList();
        await Log.AppendAsync(entries);

        var seen = new List<AuditEntry>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Log.QueryAsync(Everything(Tenant) with { Actor = "key:aaaa" }, new PageRequest(3, cursor));
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(entries.Select(e => e.Id).Order(StringComparer.Ordinal), seen.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(seen.Select(e => e.At).OrderDescending(), seen.Select(e => e.At));
    }

    [Fact]
    public async Task A_cursor_from_elsewhere_is_refused()
    {
        await Assert.ThrowsAnyAsync<InvalidCursorException>(() => Log.QueryAsync(Everything(Tenant), new PageRequest(3, "bm90LWEtY3Vyc29y")));
    }

    [Fact]
    public async Task Purging_deletes_entries_older_than_the_cutoff_across_tenants_in_batches()
    {
        await Log.AppendAsync(
        [
            Entry(Tenant, At.AddDays(-100), "a", "POST v1/tasks"),
            Entry(Other, At.AddDays(-95), "a", "POST v1/tasks"),
            Entry(AuditEntry.PlatformTenant, At.AddDays(-91), "admin", "POST v1/tenants"),
            Entry(Tenant, At.AddDays(-90), "a", "POST v1/tasks"),
            Entry(Tenant, At, "a", "POST v1/tasks"),
        ]);

        var first = await Log.PurgeAsync(At.AddDays(-90), 2);
        var second = await Log.PurgeAsync(At.AddDays(-90), 2);
        var third = await Log.PurgeAsync(At.AddDays(-90), 2);

        Assert.Equal((2, 1, 0), (first, second, third));
        var everything = new AuditQuery(Tenant, At.AddDays(-200), At.AddDays(1), null, null);
        Assert.Equal([At, At.AddDays(-90)], (await Log.QueryAsync(everything, new PageRequest(10, null))).Items.Select(e => e.At));
        Assert.Empty((await Log.QueryAsync(everything with { TenantId = Other }, new PageRequest(10, null))).Items);
        Assert.Empty((await Log.QueryAsync(everything with { TenantId = AuditEntry.PlatformTenant }, new PageRequest(10, null))).Items);
    }

    private static AuditQuery Everything(string tenantId) => new(tenantId, At.AddDays(-1), At.AddDays(1), null, null);

    private static AuditEntry Entry(string tenantId, DateTimeOffset at, string actor, string action) =>
        new(Guid.NewGuid().ToString("N"), tenantId, at, actor, action, null, 200, "127.0.0.1", "req", null);
}

public sealed class SqliteAuditLogContract : AuditLogContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureAuditLogContract : AuditLogContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
