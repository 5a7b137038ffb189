using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using Workforce.Server.Realtime;

namespace Workforce.Server.Dashboard;

/// <summary>
/// The operations dashboard at <c>/</c>: static files built from <c>dashboard/</c> into <c>wwwroot</c>. They are
/// read from next to the server's assembly, so the dashboard is there however the server was started.
/// </summary>
internal static class DashboardFiles
{
    /// <summary>
    /// The page loads only its own script and styles and talks only to this server (HTTP and the hub's WebSocket) —
    /// and, when the hub is on Azure SignalR Service, to the service, where negotiation sends the hub's connection.
    /// </summary>
    public static string ContentSecurityPolicy(AzureSignalROptions azure)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var connect = string.Join(' ', ["'self'", .. azure.BrowserConnectSources()]);
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
            $"connect-src {connect}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    public static WebApplication UseWorkforceDashboard(this WebApplication app)
    {
        // Worked out at the first request, once start-up has validated the connection string.
        var policy = new Lazy<string>(() => ContentSecurityPolicy(AzureSignalROptions.From(app.Configuration)));
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // File names carry no version, so browsers revalidate (cheaply, by ETag) instead of caching stale code.
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers[HeaderNames.ContentSecurityPolicy] = policy.Value;
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
        return app;
    }
}
