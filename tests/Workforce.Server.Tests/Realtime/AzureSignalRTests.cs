using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workforce.Server.Dashboard;
using Workforce.Server.Realtime;

namespace Workforce.Server.Tests.Realtime;

/// <summary>
/// The hub on Azure SignalR Service. No service or emulator runs here, so these check what the server decides and
/// registers, never a connection: the apps are built but not started, since the SDK connects to the service from a
/// startup filter that runs when the host starts.
/// </summary>
public sealed class AzureSignalRTests
{
    private const string ServiceConnectionString =
        "Endpoint=https://acme.service.signalr.net;AccessKey=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq=;Version=1.0;";

    [Fact]
    public async Task Without_a_connection_string_the_hub_stays_in_process_and_serves_local_watchers_only()
    {
        await using var app = BuildServer(new Dictionary<string, string?>());

        Assert.IsType<DefaultHubLifetimeManager<WorkforceHub>>(app.Services.GetRequiredService<HubLifetimeManager<WorkforceHub>>());
        Assert.Equal(WatchRule.LocalConnections, app.Services.GetRequiredService<LiveActivity>().Rule);
        Assert.DoesNotContain(app.Services.GetServices<IStartupFilter>(), filter => filter.GetType().Namespace == "Microsoft.Azure.SignalR");
    }

    [Theory]
    [InlineData("Workforce:Realtime:AzureSignalRConnectionString")]
    [InlineData("Azure:SignalR:ConnectionString")]
    public async Task A_connection_string_puts_the_hub_on_azure_signalr_and_every_server_sends_its_own_changes(string key)
    {
        await using var app = BuildServer(new Dictionary<string, string?> { [key] = ServiceConnectionString });

        var lifetime = app.Services.GetRequiredService<HubLifetimeManager<WorkforceHub>>();
        Assert.Equal("Microsoft.Azure.SignalR", lifetime.GetType().Namespace);
        Assert.StartsWith("ServiceLifetimeManager", lifetime.GetType().Name, StringComparison.Ordinal);
        Assert.Contains(app.Services.GetServices<IStartupFilter>(), filter => filter.GetType().Namespace == "Microsoft.Azure.SignalR");
        Assert.Equal(WatchRule.RecentActivity, app.Services.GetRequiredService<LiveActivity>().Rule);
        Assert.Equal(key, app.Services.GetRequiredService<IOptions<AzureSignalROptions>>().Value.Source);
    }

    [Fact]
    public async Task The_server_own_setting_wins_over_the_standard_one()
    {
        await using var app = BuildServer(new Dictionary<string, string?>
        {
            [AzureSignalROptions.Key] = ServiceConnectionString,
            [AzureSignalROptions.StandardKey] = "Endpoint=https://other.service.signalr.net;AuthType=azure.msi;Version=1.0;",
        });

        var options = app.Services.GetRequiredService<IOptions<AzureSignalROptions>>().Value;
        Assert.Equal((ServiceConnectionString, AzureSignalROptions.Key), (options.ConnectionString, options.Source));
    }

    [Theory]
    [InlineData("Endpoint=https://acme.service.signalr.net;AccessKey=a2V5;Port=70000;", "Invalid value for port property, it must be an positive integer between (0, 65536).")]
    [InlineData("AccessKey=a2V5;Version=1.0;", "Connection string missing required properties endpoint.")]
    [InlineData("Endpoint=https://acme.service.signalr.net;AccessKey=a2V5;Version=2.0;", "Version 2.0 is not supported.")]
    public void A_malformed_connection_string_is_refused_with_what_is_wrong(string connectionString, string reason)
    {
        var result = new AzureSignalROptionsValidation().Validate(null, new AzureSignalROptions { ConnectionString = connectionString, Source = AzureSignalROptions.StandardKey });

        Assert.True(result.Failed);
        Assert.StartsWith("Azure:SignalR:ConnectionString is not a valid Azure SignalR Service connection string", result.FailureMessage, StringComparison.Ordinal);
        Assert.EndsWith(": " + reason, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_managed_identity_connection_string_needs_no_key()
    {
        var options = new AzureSignalROptions { ConnectionString = "Endpoint=https://acme.service.signalr.net;AuthType=azure.msi;Version=1.0;" };

        Assert.True(new AzureSignalROptionsValidation().Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_dashboard_may_connect_to_the_service_only_when_the_hub_is_there()
    {
        var onService = DashboardFiles.ContentSecurityPolicy(new AzureSignalROptions { ConnectionString = ServiceConnectionString });
        var inProcess = DashboardFiles.ContentSecurityPolicy(new AzureSignalROptions());

        Assert.Contains("connect-src 'self' https://acme.service.signalr.net wss://acme.service.signalr.net;", onService, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self';", inProcess, StringComparison.Ordinal);
    }

    /// <summary>The server as Program.cs composes it, built and never started.</summary>
    private static WebApplication BuildServer(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["Workforce:Storage:Sqlite:DataDirectory"] = Path.Combine(Path.GetTempPath(), "workforce-signalr-tests", Guid.NewGuid().ToString("N")),
            ["urls"] = "http://127.0.0.1:0",
        });
        builder.AddWorkforceServer();
        var app = builder.Build();
        app.UseWorkforceServer();
        return app;
    }
}

/// <summary>
/// A server whose hub is shared with other servers (the watch rule of Azure SignalR mode) and whose hub context
/// records what it sends instead of reaching clients: no dashboard is connected to it.
/// </summary>
public sealed class SharedHubApiFactory : WorkforceApiFactory
{
    internal RecordingHubContext Sent { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<LiveActivity>();
            services.AddSingleton(sp => new LiveActivity(sp.GetRequiredService<TimeProvider>(), WatchRule.RecentActivity));
            services.AddSingleton<IHubContext<WorkforceHub>>(Sent);
        });
    }
}

public sealed class SharedHubBroadcastTests(SharedHubApiFactory factory) : IClassFixture<SharedHubApiFactory>
{
    [Fact]
    public async Task Changes_committed_on_a_server_without_local_connections_still_go_to_the_tenant_group()
    {
        var (tenantId, tenant) = await factory.NewTenantWithIdAsync();
        using (tenant)
        {
            var task = await tenant.SubmitAsync(new { type = "render" });

            var update = await factory.Sent.NextAsync(WorkforceHub.GroupOf(tenantId), Api.Realtime.RealtimeEvents.TaskUpdated,
                message => ((IEnumerable<Api.Realtime.TaskUpdate>)message[0]!).Any(t => t.Id == task.Id()));

            Assert.Equal(Core.Tasks.TaskState.Pending, ((IEnumerable<Api.Realtime.TaskUpdate>)update[0]!).Single(t => t.Id == task.Id()).State);
        }
    }
}

/// <summary>Records every message sent to a group; nothing else of the hub is used by the broadcaster.</summary>
internal sealed class RecordingHubContext : IHubContext<WorkforceHub>
{
    private readonly ConcurrentQueue<(string Group, string Method, object?[] Args)> _sent = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public RecordingHubContext() => Clients = new GroupClients(this);

    public IHubClients Clients { get; }

    public IGroupManager Groups => throw new NotSupportedException();

    /// <summary>The first message of <paramref name="method"/> to <paramref name="group"/> that matches, waiting for it up to 20 seconds.</summary>
    public async Task<object?[]> NextAsync(string group, string method, Func<object?[], bool> matches)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            if (_sent.FirstOrDefault(sent => sent.Group == group && sent.Method == method && matches(sent.Args)) is { Args: { } args })
            {
                return args;
            }

            await _arrived.WaitAsync(limit.Token);
        }
    }

    private sealed class GroupClients(RecordingHubContext owner) : IHubClients
    {
        public IClientProxy All => throw new NotSupportedException();

        public IClientProxy Group(string groupName) => new GroupProxy(owner, groupName);

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Client(string connectionId) => throw new NotSupportedException();

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

        public IClientProxy User(string userId) => throw new NotSupportedException();

        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }

    private sealed class GroupProxy(RecordingHubContext owner, string group) : IClientProxy
    {
        public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            owner._sent.Enqueue((group, method, args));
            owner._arrived.Release();
            return Task.CompletedTask;
        }
    }
}
