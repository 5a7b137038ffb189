using Microsoft.Extensions.Options;
using Workforce.Core.Tenants;
using Workforce.Orchestrations.BillingCycle;

namespace Workforce.Server.Tenants;

/// <summary>Bound from <c>Workforce:Bootstrap</c>; <c>WORKFORCE_BOOTSTRAP_API_KEY</c> sets the key.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Workforce:Bootstrap";

    /// <summary>A key that start-up makes valid for the <c>default</c> tenant.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>
/// Makes sure the <c>default</c> tenant exists before the server takes requests. When no key is configured, the
/// first start generates one and prints it to the console, once; only its hash is stored. Its billing cycle is
/// started if it is not running.
/// </summary>
internal sealed partial class DefaultTenantBootstrap(
    EnsureDefaultTenant ensure, StartBillingCycle startBillingCycle, IOptions<BootstrapOptions> options, ILogger<DefaultTenantBootstrap> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var generated = await ensure.ExecuteAsync(options.Value.ApiKey, cancellationToken);
        await startBillingCycle.ExecuteAsync(Tenant.DefaultId, cancellationToken);
        if (generated is null)
        {
            return;
        }

        // Written to the console rather than the log so the key does not travel to log sinks.
        await Console.Out.WriteLineAsync($"""

            Workforce generated an API key for the tenant "default". It is shown only this once:

                {generated}

            Use it in the X-API-Key header. Set WORKFORCE_BOOTSTRAP_API_KEY to choose the key yourself.

            """);
        LogGenerated(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated the API key of the default tenant and printed it to the console; it will not be shown again")]
    private static partial void LogGenerated(ILogger logger);
}
