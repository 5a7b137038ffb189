using System.Web;
using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Storage.Azure;
using Workforce.Storage.Azure.Queues;
using Workforce.Storage.Azure.Tables;

namespace Workforce.Storage.Tests;

/// <summary>
/// A filtered task list over sparse matches. Azure Table Storage may end a page early with a continuation even when
/// it found nothing (it stops after 1,000 entities or 5 seconds of scanning), and its continuation is an opaque
/// position rather than a row key; Azurite always fills the page, so here the service is scripted.
/// </summary>
public sealed class AzureTaskListTests
{
    private const string NextPartition = "1!8!dDE-";
    private const string NextRow = "1!48!bGlzdF85MjIzMzcy";

    [Fact]
    public async Task A_scan_that_stops_between_matches_returns_a_cursor_that_resumes_where_the_service_stopped()
    {
        var service = new ScriptedStorageService(ScriptedStorageService.TablePage("", NextPartition, NextRow));
        using var storage = new AzureStorage(StorageAccount.Parse("AccountName=acme;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:1/acme"), tokens: null,
            new AzureStorageOptions { MaxRetries = 0 }, service.Transport());
        var store = Store(storage);
        var failed = new TaskFilter(State: TaskState.Failed);

        var first = await store.ListTasksAsync("t1", failed, new PageRequest(5, null));
        var sent = service.Received.Count;
        await store.ListTasksAsync("t1", failed, new PageRequest(5, first.NextCursor));

        Assert.Empty(first.Items);
        Assert.NotNull(first.NextCursor);
        Assert.Equal(10, sent);
        var resumed = HttpUtility.ParseQueryString(service.Received[sent].Request.RequestUri!.Query);
        Assert.Equal((NextPartition, NextRow), (resumed["NextPartitionKey"], resumed["NextRowKey"]));
        Assert.Equal(HttpUtility.ParseQueryString(service.Received[0].Request.RequestUri!.Query)["$filter"], resumed["$filter"]);
    }

    [Theory]
    [InlineData("agent_")]
    [InlineData("tenant")]
    public async Task A_cursor_outside_the_list_rows_is_rejected(string from)
    {
        var service = new ScriptedStorageService(ScriptedStorageService.Refuse);
        using var storage = new AzureStorage(StorageAccount.Parse("AccountName=acme;AccountKey=a2V5"), tokens: null, new AzureStorageOptions(), service.Transport());

        await Assert.ThrowsAsync<InvalidCursorException>(() => Store(storage).ListTasksAsync("t1", new TaskFilter(), new PageRequest(5, ListCursor.Tasks.Encode(from, null))));

        Assert.Empty(service.Received);
    }

    private static AzureWorkforceStore Store(AzureStorage storage)
    {
        var registry = new TenantRegistry(storage);
        var queues = new AzureWorkQueues(storage, new QueueLedger(storage, TimeProvider.System), TestQueues.All, TimeProvider.System);
        return new AzureWorkforceStore(storage, new AzureTenantDirectory(storage, registry), registry, queues, new RecordingObserver().Feed(), TestBilling.Metering(), TimeProvider.System,
            NullLogger<AzureWorkforceStore>.Instance);
    }
}
