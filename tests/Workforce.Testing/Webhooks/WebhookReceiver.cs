using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workforce.Testing.Webhooks;

/// <summary>
/// A webhook receiver on 127.0.0.1 (a free port) as a tenant would write one from the Standard Webhooks
/// specification: it verifies <c>webhook-signature</c> against the secrets it was given — HMAC-SHA256 of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c> under the base64 bytes after <c>whsec_</c>, any one <c>v1,</c>
/// signature matching, compared in constant time, the timestamp within five minutes — and records every request.
/// Answers are scripted: queue statuses (with Retry-After), or make it hang.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<WebhookReceived> _received = new();
    private readonly ConcurrentQueue<ScriptedAnswer> _answers = new();
    private readonly TimeProvider _time;
    private volatile string[] _secrets = [];

    private WebhookReceiver(TimeProvider time)
    {
        _time = time;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>Where to point an endpoint: <c>http://127.0.0.1:{port}/hooks</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<WebhookReceived> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(TimeProvider? time = null)
    {
        var receiver = new WebhookReceiver(time ?? TimeProvider.System);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri($"{address.TrimEnd('/')}/hooks");
        return receiver;
    }

    /// <summary>The secrets a delivery may be signed with (during a rotation, the old and the new).</summary>
    public void Trust(params string[] secrets) => _secrets = secrets;

    /// <summary>The next requests get these answers, in order; after them, 204.</summary>
    public void AnswerNext(int status, TimeSpan? retryAfter = null, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _answers.Enqueue(new ScriptedAnswer(status, retryAfter, Hang: false));
        }
    }

    /// <summary>Forgets the scripted answers not given yet: from now on every request gets 204.</summary>
    public void AnswerAllNow() => _answers.Clear();

    /// <summary>The next request gets no answer until the client gives up.</summary>
    public void HangNext() => _answers.Enqueue(new ScriptedAnswer(0, null, Hang: true));

    /// <summary>Waits until <paramref name="count"/> requests have arrived, at most <paramref name="within"/>.</summary>
    public async Task<IReadOnlyList<WebhookReceived>> WaitForAsync(int count, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (_received.Count < count)
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{_received.Count} of {count} webhook requests arrived within {within.TotalSeconds} s.");
            }
        }

        return Received;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers;
        var id = headers["webhook-id"].ToString();
        var timestamp = headers["webhook-timestamp"].ToString();
        var signatures = headers["webhook-signature"].ToString();
        var received = new WebhookReceived(id, timestamp, signatures, body, Verify(id, timestamp, signatures, body), _time.GetUtcNow());
        _received.Enqueue(received);

        var answer = _answers.TryDequeue(out var scripted) ? scripted : new ScriptedAnswer(StatusCodes.Status204NoContent, null, Hang: false);
        if (answer.Hang)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The receiver's side of the specification, written from its text rather than from the sender's code.</summary>
    private bool Verify(string id, string timestamp, string signatureHeader, string body)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (_time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > TimestampTolerance)
        {
            return false;
        }

        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");
        var offered = signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Select(s => Convert.TryFromBase64String(s[3..], new byte[32], out _) ? Convert.FromBase64String(s[3..]) : [])
            .ToList();
        return _secrets.Any(secret =>
        {
            var expected = HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), signed);
            return offered.Any(signature => CryptographicOperations.FixedTimeEquals(signature, expected));
        });
    }

    private sealed record ScriptedAnswer(int Status, TimeSpan? RetryAfter, bool Hang);
}

/// <summary>One request as the receiver got it, and whether its signature verified.</summary>
public sealed record WebhookReceived(string Id, string Timestamp, string SignatureHeader, string Body, bool Verified, DateTimeOffset At)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public int SignatureCount => SignatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
