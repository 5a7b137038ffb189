using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workforce.Testing.Twilio;

/// <summary>
/// A stand-in for Twilio's Messages resource on 127.0.0.1 (a free port), speaking its published shapes:
/// <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c> with form fields To, From or MessagingServiceSid, and
/// Body, under basic authentication as <see cref="AccountSid"/>:<see cref="AuthToken"/>. It refuses what Twilio
/// refuses, with Twilio's error body (<c>code</c>, <c>message</c>, <c>more_info</c>, <c>status</c>): bad credentials
/// or another account (401, 20003), no To (21604), a To not in E.164 (21211), no sender (21603), a From that is not
/// the account's number (21606), an unknown Messaging Service (21701), no Body (21602), a Body over 1,600 characters
/// (21617). A message it takes on is answered 201 with the Message resource, status queued (accepted through a
/// Messaging Service), and kept in <see cref="Messages"/>. <see cref="Faults"/> injects failures.
/// </summary>
public sealed partial class FakeTwilio : IAsyncDisposable
{
    public const string AccountSid = "AC5ef872f6da5a21de157d80997a64bd33";
    public const string AuthToken = "4d9a8f1c2b7e6a5d3c0f9e8b7a6d5c4b";

    /// <summary>The account's one SMS-capable number: the only From it sends from.</summary>
    public const string PhoneNumber = "+15017122661";

    public const string MessagingServiceSid = "MG9752274e9e519418a7406176694466fa";

    private const string ApiVersion = "2010-04-01";
    private const int MaxBodyLength = 1_600;

    // GSM 03.38: the basic set, one septet a character, and the extension table, two (an escape and the character).
    private const string GsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string GsmExtension = "\f^{}\\[~]|€";

    private readonly TimeProvider _time;
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<FakeTwilioRequest> _requests = new();
    private readonly ConcurrentQueue<FakeTwilioMessage> _messages = new();

    private FakeTwilio(TimeProvider time)
    {
        _time = time;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The API root, like https://api.twilio.com: the channel's BaseUrl.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public FakeTwilioFaults Faults { get; } = new();

    public IReadOnlyList<FakeTwilioRequest> Requests => [.. _requests];

    public IReadOnlyList<FakeTwilioMessage> Messages => [.. _messages];

    public static async Task<FakeTwilio> StartAsync(TimeProvider? time = null)
    {
        var fake = new FakeTwilio(time ?? TimeProvider.System);
        await fake._app.StartAsync();
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        // Held requests give up first, so that stopping does not wait for them.
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType
            ? (await request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            : [];
        var (user, password) = BasicCredentials(request.Headers.Authorization.ToString());
        var record = new FakeTwilioRequest(request.Method, request.Path.Value!, user, form, _time.GetUtcNow());
        _requests.Enqueue(record);

        if (Faults.Take() is { } fault)
        {
            if (fault.Hangs)
            {
                await HoldAsync(context.RequestAborted);
                context.Abort();
                return;
            }

            var headers = fault.RetryAfter is { } wait ? new[] { ("Retry-After", ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)) } : [];
            var answer = fault.Status switch
            {
                429 => Error(429, 20429, "Too Many Requests", headers),
                503 => Error(503, 20503, "Service Unavailable", headers),
                _ => Error(fault.Status, 20500, "An internal server error has occurred", headers),
            };
            await WriteAsync(context, record, answer);
            return;
        }

        await WriteAsync(context, record, Respond(request, user, password, form));
    }

    private Answer Respond(HttpRequest request, string? user, string? password, Dictionary<string, string> form)
    {
        var path = request.Path.Value!;
        var account = MessagesPath().Match(path) is { Success: true } match ? match.Groups["account"].Value : null;
        // Twilio authenticates before it looks at the path: credentials for another account are refused the same way.
        if (user != AccountSid || password != AuthToken || (account is not null && account != AccountSid))
        {
            return Error(401, 20003, "Authenticate", [("WWW-Authenticate", "Basic realm=\"Twilio API\"")]);
        }

        if (request.Method != "POST" || account is null)
        {
            return Error(404, 20404, $"The requested resource {path} was not found");
        }

        return Create(form);
    }

    private Answer Create(Dictionary<string, string> form)
    {
        var to = form.GetValueOrDefault("To");
        var from = form.GetValueOrDefault("From");
        var service = form.GetValueOrDefault("MessagingServiceSid");
        var body = form.GetValueOrDefault("Body");
        if (string.IsNullOrEmpty(to))
        {
            return Error(400, 21604, "A 'To' phone number is required.");
        }

        if (!E164().IsMatch(to))
        {
            return Error(400, 21211, $"The 'To' number {to} is not a valid phone number.");
        }

        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(service))
        {
            return Error(400, 21603, "A 'From' phone number is required.");
        }

        if (!string.IsNullOrEmpty(service) && service != MessagingServiceSid)
        {
            return Error(400, 21701, $"The Messaging Service Sid {service} is invalid.");
        }

        if (!string.IsNullOrEmpty(from) && from != PhoneNumber)
        {
            return Error(400, 21606, $"The From phone number {from} is not a valid, SMS-capable inbound phone number or short code for your account.");
        }

        if (string.IsNullOrEmpty(body))
        {
            return Error(400, 21602, "Message body is required.");
        }

        if (body.Length > MaxBodyLength)
        {
            return Error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
        }

        var sid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = _time.GetUtcNow();
        // Through a Messaging Service the sender is chosen later: no from yet, status accepted, num_segments 0.
        var viaService = !string.IsNullOrEmpty(service);
        var segments = viaService ? 0 : Segments(body);
        var status = viaService ? "accepted" : "queued";
        var sender = string.IsNullOrEmpty(from) ? null : from;
        _messages.Enqueue(new FakeTwilioMessage(sid, to, sender, viaService ? service : null, body, Segments(body), status, now));
        var uri = $"/{ApiVersion}/Accounts/{AccountSid}/Messages/{sid}";
        return Json(201, new JsonObject
        {
            ["account_sid"] = AccountSid,
            ["api_version"] = ApiVersion,
            ["body"] = body,
            ["date_created"] = Rfc2822(now),
            ["date_sent"] = null,
            ["date_updated"] = Rfc2822(now),
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = sender,
            ["messaging_service_sid"] = viaService ? service : null,
            ["num_media"] = "0",
            ["num_segments"] = segments.ToString(CultureInfo.InvariantCulture),
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = sid,
            ["status"] = status,
            ["subresource_uris"] = new JsonObject { ["media"] = $"{uri}/Media.json" },
            ["to"] = to,
            ["uri"] = $"{uri}.json",
        });
    }

    /// <summary>
    /// Segments of an SMS: 160 GSM-7 septets in one, 153 in each part of a longer one (the rest is the
    /// concatenation header); a text with any character outside GSM-7 goes as UCS-2, 70 in one, 67 in each part.
    /// </summary>
    private static int Segments(string body)
    {
        var septets = 0;
        foreach (var c in body)
        {
            if (GsmBasic.Contains(c, StringComparison.Ordinal))
            {
                septets++;
            }
            else if (GsmExtension.Contains(c, StringComparison.Ordinal))
            {
                septets += 2;
            }
            else
            {
                return body.Length <= 70 ? 1 : (body.Length + 66) / 67;
            }
        }

        return septets <= 160 ? 1 : (septets + 152) / 153;
    }

    private async Task HoldAsync(CancellationToken aborted)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up waiting, or the fake is stopping: as intended.
        }
    }

    private static async Task WriteAsync(HttpContext context, FakeTwilioRequest record, Answer answer)
    {
        record.Status = answer.Status;
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private static (string? User, string? Password) BasicCredentials(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return (null, null);
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (pair, null) : (pair[..colon], pair[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private static Answer Error(int status, int code, string message, IReadOnlyList<(string, string)>? headers = null) => Json(status, new JsonObject
    {
        ["code"] = code,
        ["message"] = message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
        ["status"] = status,
    }, headers);

    private static Answer Json(int status, JsonObject body, IReadOnlyList<(string, string)>? headers = null) => new(status, body.ToJsonString(), headers ?? []);

    /// <summary>Twilio's dates: RFC 2822 in GMT, like "Thu, 24 Aug 2023 05:01:45 +0000".</summary>
    private static string Rfc2822(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^/2010-04-01/Accounts/(?<account>[^/]+)/Messages\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex MessagesPath();

    /// <summary>E.164: a plus, a country code not starting with 0, at most 15 digits in all.</summary>
    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    private sealed record Answer(int Status, string Body, IReadOnlyList<(string Name, string Value)> Headers);
}
