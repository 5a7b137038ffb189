using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Core.Files;

namespace Workforce.Server.Tests;

/// <summary>Download links work for anyone who holds them, without a key: served by the server for local files, by Blob Storage on Azure.</summary>
public abstract class FilesApiTests(WorkforceApiFactory factory)
{
    [Fact]
    public async Task A_download_link_serves_the_file_without_a_key()
    {
        var blobs = factory.Services.GetRequiredService<IBlobStore>();
        await blobs.PutAsync("default", "reports/weekly.csv", new MemoryStream("task,state\n"u8.ToArray()), "text/csv");

        var link = await blobs.CreateDownloadLinkAsync("default", "reports/weekly.csv", TimeSpan.FromMinutes(5));
        using var anonymous = link.IsAbsoluteUri ? new HttpClient() : factory.CreateClient();
        var response = await anonymous.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("task,state\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_forged_link_is_refused()
    {
        using var anonymous = factory.CreateClient();

        var response = await anonymous.GetAsync(new Uri("/api/files/default/reports/weekly.csv?expires=9999999999&signature=00", UriKind.Relative));

        await WorkforceClient.ProblemAsync(response, HttpStatusCode.NotFound);
    }
}

public sealed class SqliteFilesApiTests(WorkforceApiFactory factory) : FilesApiTests(factory), IClassFixture<WorkforceApiFactory>;

public sealed class AzuriteFilesApiTests(AzuriteApiFactory factory) : FilesApiTests(factory), IClassFixture<AzuriteApiFactory>;
