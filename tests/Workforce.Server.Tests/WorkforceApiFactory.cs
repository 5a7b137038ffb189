using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using System.Net.WebSockets;
using Microsoft.Data.Sqlite;
using Workforce.Testing.Realtime;

namespace Workforce.Server.Tests;

/// <summary>
/// The server in memory on its own SQLite file, with a known tenant key and admin key. Rate limits are off unless
/// a test turns them on; the key cache is off so that revoked keys stop working at once.
/// </summary>
public sealed class WorkforceApiFactory : WebApplicationFactory<Program>
{
    public const string TenantKey = "test-tenant-key";
    public const string AdminKey = "test-admin-key";

    private readonly Dictionary<string, string?> _settings;

    public WorkforceApiFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    private WorkforceApiFactory(IDictionary<string, string?> settings)
    {
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
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>A server with some settings changed from the test defaults.</summary>
    public static WorkforceApiFactory With(IDictionary<string, string?> settings) => new(settings);

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
    public async Task<WorkforceClient> NewTenantAsync()
    {
        using var admin = Client(AdminKey);
        var tenant = await WorkforceClient.ReadAsync(await admin.PostAsync("/api/v1/tenants", new { name = "tenant" }), System.Net.HttpStatusCode.Created);
        return Client(tenant["apiKey"]!.GetValue<string>());
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
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
