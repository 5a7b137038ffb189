using System.Security.Cryptography;
using System.Text;
using Workforce.Core.Files;
using Workforce.Core.Storage;

namespace Workforce.Storage.Tests;

/// <summary>What every <see cref="IBlobStore"/> must do: streamed content both ways, paging by prefix, expiring links.</summary>
public abstract class BlobStoreContract : IAsyncLifetime
{
    protected IStorageBackend Backend { get; private set; } = null!;

    private IBlobStore Blobs => Backend.Blobs;

    public async ValueTask InitializeAsync() => Backend = await CreateBackendAsync();

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task A_blob_reads_back_with_its_type_and_length_and_is_gone_once_deleted()
    {
        var stored = await Blobs.PutAsync("t1", "reports/2026/q1.json", new MemoryStream(Encoding.UTF8.GetBytes("""{"tasks":42}""")), "application/json");

        await using (var download = await Blobs.GetAsync("t1", "reports/2026/q1.json"))
        {
            Assert.NotNull(download);
            Assert.Equal(("reports/2026/q1.json", 12L, "application/json"), (download.Blob.Name, download.Blob.Length, download.Blob.ContentType));
            Assert.Equal("""{"tasks":42}""", await new StreamReader(download.Content).ReadToEndAsync());
        }

        Assert.Equal(12, stored.Length);
        Assert.Null(await Blobs.GetAsync("t2", "reports/2026/q1.json"));
        Assert.True(await Blobs.DeleteAsync("t1", "reports/2026/q1.json"));
        Assert.False(await Blobs.DeleteAsync("t1", "reports/2026/q1.json"));
        Assert.Null(await Blobs.GetAsync("t1", "reports/2026/q1.json"));
    }

    [Fact]
    public async Task A_large_blob_streams_in_and_out_unchanged()
    {
        var content = RandomNumberGenerator.GetBytes((9 * 1024 * 1024) + 123);

        await Blobs.PutAsync("t1", "models/v7.bin", new TrickleStream(content), "application/octet-stream");

        await using var download = await Blobs.GetAsync("t1", "models/v7.bin");
        using var read = new MemoryStream();
        await download!.Content.CopyToAsync(read);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(read.ToArray()));
        Assert.Equal(content.Length, download.Blob.Length);
    }

    [Fact]
    public async Task Lists_page_by_prefix_in_name_order_within_the_tenant()
    {
        foreach (var name in new[] { "reports/c", "reports/a", "models/x", "reports/b", "reports/d/e" })
        {
            await Blobs.PutAsync("t1", name, new MemoryStream([1]), "application/octet-stream");
        }

        await Blobs.PutAsync("t2", "reports/z", new MemoryStream([1]), "application/octet-stream");

        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Blobs.ListAsync("t1", "reports/", new PageRequest(2, cursor));
            Assert.InRange(page.Items.Count, 1, 2);
            names.AddRange(page.Items.Select(b => b.Name));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(["reports/a", "reports/b", "reports/c", "reports/d/e"], names);
        await Assert.ThrowsAsync<InvalidCursorException>(() => Blobs.ListAsync("t1", "", new PageRequest(2, "not-a-cursor")));
    }

    [Fact]
    public async Task A_download_link_serves_the_blob_without_a_key_until_it_expires()
    {
        await Blobs.PutAsync("t1", "reports/shared report.txt", new MemoryStream("for you"u8.ToArray()), "text/plain");

        var link = await Blobs.CreateDownloadLinkAsync("t1", "reports/shared report.txt", TimeSpan.FromSeconds(2));
        var tampered = new Uri(link.OriginalString.Replace("shared%20report", "other", StringComparison.Ordinal), UriKind.RelativeOrAbsolute);

        Assert.Equal("for you", Encoding.UTF8.GetString((await Backend.DownloadAsync(link))!));
        Assert.Null(await Backend.DownloadAsync(tampered));
        await Backend.AdvanceTimeAsync(TimeSpan.FromSeconds(3));
        Assert.Null(await Backend.DownloadAsync(link));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("reports//double")]
    [InlineData("back\\slash")]
    [InlineData("trailing.")]
    public async Task A_name_that_is_not_a_clean_path_is_refused(string name) =>
        await Assert.ThrowsAsync<ArgumentException>(() => Blobs.PutAsync("t1", name, new MemoryStream([1]), "application/octet-stream"));

    /// <summary>Hands out a few KiB per read, as a network stream does, so no store can rely on one big read.</summary>
    private sealed class TrickleStream(byte[] content) : MemoryStream(content)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7000)], cancellationToken);
    }
}

public sealed class SqliteBlobStoreContract : BlobStoreContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureBlobStoreContract : BlobStoreContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
