using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using System.Net.WebSockets;
using Microsoft.Data.Sqlite;
using Workforce.Core.Queues;
using Workforce.Testing.Realtime;
using Workforce.Testing;

namespace Workforce.Server.Tests;

/// <summary>Which storage the server under test keeps its data in.</summary>
public enum TestStorage
{
    /// <summary>The embedded default: a SQLite file of its own.</summary>
    Sqlite,

    /// <summary>Azure Tables, Queues and Blobs on the Azurite that test.sh starts, under a resource prefix of its own.</summary>
    Azurite,
}

/// <summary>
/// The server in memory on storage of its own, with a known tenant key and admin key. Rate limits are off unless
/// a test turns them on; the key cache is off so that revoked keys stop working at once.
/// </summary>
public class WorkforceApiFactory : WebApplicationFactory<Program>
{
    public const string TenantKey = "test-tenant-key";
    public const string AdminKey = "test-admin-key";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _resourcePrefix = Azurite.NewResourcePrefix();

    public WorkforceApiFactory()
        : this(TestStorage.Sqlite, new Dictionary<string, string?>())
    {
    }

    protected WorkforceApiFactory(TestStorage storage, IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Storage = storage;
        DataDirectory = Path.Combine(Path.GetTempPath(), "workforce-server-tests", Guid.NewGuid().ToString("N"));
        _settings = new Dictionary<string, string?>
        {
            ["Workforce:Storage:Sqlite:DataDirectory"] = DataDirectory,
            ["Workforce:Bootstrap:ApiKey"] = TenantKey,
            ["Workforce:Admin:ApiKey"] = AdminKey,
            ["Workforce:RateLimit:PermitsPerMinute"] = "0",
            ["Workforce:RateLimit:KeyPermitsPerMinute"] = "0",
            ["Workforce:Auth:KeyCacheDuration"] = "00:00:00",
            ["Workforce:Leases:RecheckInterval"] = "00:00:00.100",
        };
        if (storage == TestStorage.Azurite)
        {
            _settings["Workforce:Storage:Provider"] = "azure";
            _settings["Workforce:Storage:ConnectionString"] = Azurite.ConnectionString;
            _settings["Workforce:Storage:ResourcePrefix"] = _resourcePrefix;
        }

        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public TestStorage Storage { get; }

    public string DataDirectory { get; }

    /// <summary>A server on the same kind of storage (but its own data) with some settings changed from the test defaults.</summary>
    public WorkforceApiFactory With(IDictionary<string, string?> settings) => new(Storage, settings);

    /// <summary>A client that sends the default tenant's key.</summary>
    public WorkforceClient Tenant() => Client(TenantKey);

    public WorkforceClient Client(string? apiKey)
    {
        var http = CreateClient();
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return new WorkforceClient(http);
    }

    /// <summary>A client for a brand-new tenant, so a test sees only its own tasks and agents.</summary>
    public async Task<WorkforceClient> NewTenantAsync() => (await NewTenantWithIdAsync()).Client;

    public async Task<(string Id, WorkforceClient Client)> NewTenantWithIdAsync()
    {
        using var admin = Client(AdminKey);
        var tenant = await WorkforceClient.ReadAsync(await admin.PostAsync("/api/v1/tenants", new { name = "tenant" }), System.Net.HttpStatusCode.Created);
        return (tenant["id"]!.GetValue<string>(), Client(tenant["apiKey"]!.GetValue<string>()));
    }

    /// <summary>A live-updates client on the in-memory server, over its WebSocket support.</summary>
    public async Task<HubClient> ConnectHubAsync(HubCredential credential)
    {
        using var http = CreateClient();
        return await HubClient.ConnectAsync(http, OpenWebSocketAsync, "/api/hubs/workforce", credential, cancellationToken: TestContext.Current.CancellationToken);
    }

    private Task<WebSocket> OpenWebSocketAsync(Uri uri, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var client = Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            foreach (var (name, value) in headers)
            {
                request.Headers[name] = value;
            }
        };
        return client.ConnectAsync(uri, cancellationToken);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Storage == TestStorage.Azurite)
        {
            await Azurite.DeleteResourcesAsync(_resourcePrefix, WorkQueues.All);
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The same server on Azure Storage (Azurite), so every API test also runs against the Azure adapters.</summary>
public sealed class AzuriteApiFactory() : WorkforceApiFactory(TestStorage.Azurite, new Dictionary<string, string?>());

/// <summary>The server with a Free plan of small limits, so that tests reach them in a few calls.</summary>
public class MeteredApiFactory : WorkforceApiFactory
{
    public const int FreeTasks = 3;
    public const int FreeApiCalls = 30;

    public MeteredApiFactory()
        : this(TestStorage.Sqlite)
    {
    }

    protected MeteredApiFactory(TestStorage storage)
        : base(storage, new Dictionary<string, string?>
        {
            ["Workforce:Billing:Plans:free:Tasks"] = FreeTasks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Workforce:Billing:Plans:free:ApiCalls"] = FreeApiCalls.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
    {
    }
}

public sealed class AzuriteMeteredApiFactory() : MeteredApiFactory(TestStorage.Azurite);
