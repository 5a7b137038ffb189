using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workforce.Bench;

/// <summary>
/// A webhook receiver on 127.0.0.1 (Kestrel, a free port) that answers 204 at once, as a receiver that queues its work
/// should, and notes when each delivery arrived and its delay: the arrival time minus the event's <c>timestamp</c>,
/// the time of the change that raised it (the server shares this machine's clock). It does not verify signatures:
/// the tests do that, and every cycle spent here is taken from the server on the shared cores.
/// </summary>
internal sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(long At, TimeSpan Delay)> _received = [];

    private WebhookSink()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(ReceiveAsync);
    }

    /// <summary>Where to point the endpoint: <c>http://127.0.0.1:{port}/hooks</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookSink> StartAsync()
    {
        var sink = new WebhookSink();
        await sink._app.StartAsync();
        var address = sink._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sink.Url = new Uri($"{address.TrimEnd('/')}/hooks");
        return sink;
    }

    /// <summary>The deliveries that arrived inside the window, with their delays.</summary>
    public Latencies ReceivedWithin(Window window)
    {
        var delays = new Latencies();
        lock (_received)
        {
            foreach (var received in _received.Where(r => window.Contains(r.At, r.At)))
            {
                delays.Add(received.Delay);
            }
        }

        return delays;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ReceiveAsync(HttpContext context)
    {
        var at = Stopwatch.GetTimestamp();
        var now = DateTimeOffset.UtcNow;
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var delay = now - body.RootElement.GetProperty("timestamp").GetDateTimeOffset();
        lock (_received)
        {
            _received.Add((at, delay));
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
