using System.Buffers;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Workforce.Testing.Realtime;

/// <summary>An event the hub sent: its target (the event name) and its arguments, with the time it arrived.</summary>
public sealed record HubInvocation(string Target, IReadOnlyList<JsonElement> Arguments, DateTimeOffset ReceivedAt)
{
    public JsonElement Argument => Arguments[0];
}

/// <summary>How a client proves who it is: an API key in a header, or an access token as a browser passes it.</summary>
public sealed record HubCredential(string? ApiKey = null, string? AccessToken = null)
{
    public static HubCredential None { get; } = new();

    public static HubCredential Key(string apiKey) => new(ApiKey: apiKey);

    public static HubCredential Token(string accessToken) => new(AccessToken: accessToken);
}

/// <summary>Refused negotiation or handshake, with the HTTP status when there was one.</summary>
public sealed class HubConnectionException(string message, int? statusCode = null) : Exception(message)
{
    public int? StatusCode { get; } = statusCode;
}

/// <summary>Opens a WebSocket to <paramref name="uri"/> sending <paramref name="headers"/>.</summary>
public delegate Task<WebSocket> WebSocketOpener(Uri uri, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken);

/// <summary>
/// A receiving client of the SignalR JSON hub protocol over WebSockets, written to the published protocol because
/// the .NET SignalR client package is not in this machine's registry: negotiate (version 1), connect with the
/// connection token, handshake <c>{"protocol":"json","version":1}</c>, then records separated by 0x1E. It keeps
/// the connection alive with pings and queues every invocation it receives; it calls nothing on the hub.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    public const char RecordSeparator = '\u001e';

    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}" + RecordSeparator);

    private readonly WebSocket _socket;
    private readonly Channel<HubInvocation> _invocations = Channel.CreateUnbounded<HubInvocation>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly Task _pinging;
    private readonly bool _parse;
    private readonly List<HubInvocation> _passedOver = [];
    private long _records;

    private HubClient(WebSocket socket, ArraySegment<byte> afterHandshake, bool parse)
    {
        _socket = socket;
        _parse = parse;
        _receiving = ReceiveAsync(afterHandshake);
        _pinging = PingAsync();
    }

    /// <summary>Every invocation received, in order; completes when the server closes the connection. Empty when not parsing.</summary>
    public ChannelReader<HubInvocation> Invocations => _invocations.Reader;

    /// <summary>How many protocol records (invocations, pings) arrived.</summary>
    public long ReceivedRecords => Interlocked.Read(ref _records);

    /// <summary>
    /// Connects to a real server over loopback with <see cref="ClientWebSocket"/>. Without <paramref name="parse"/>
    /// the client reads every byte but only counts the records: a load generator's many clients then cost the
    /// shared machine little beyond what the server spends sending.
    /// </summary>
    public static async Task<HubClient> ConnectAsync(Uri server, string hubPath, HubCredential credential, bool parse = true, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = server };
        return await ConnectAsync(http, OpenClientWebSocketAsync, hubPath, credential, parse, cancellationToken);
    }

    /// <summary>Negotiates through <paramref name="http"/> (whose base address is the server) and opens the WebSocket with <paramref name="openWebSocket"/>.</summary>
    public static async Task<HubClient> ConnectAsync(
        HttpClient http, WebSocketOpener openWebSocket, string hubPath, HubCredential credential, bool parse = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(openWebSocket);
        ArgumentNullException.ThrowIfNull(credential);
        var connectionToken = await NegotiateAsync(http, hubPath, credential, cancellationToken);

        var query = $"id={Uri.EscapeDataString(connectionToken)}";
        if (credential.AccessToken is { } token)
        {
            query += $"&access_token={Uri.EscapeDataString(token)}";
        }

        var uri = new UriBuilder(new Uri(http.BaseAddress!, hubPath))
        {
            Scheme = http.BaseAddress!.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = query,
        }.Uri;
        var headers = credential.ApiKey is { } key ? new Dictionary<string, string> { ["X-API-Key"] = key } : [];
        var socket = await openWebSocket(uri, headers, cancellationToken);
        try
        {
            var handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
            await socket.SendAsync(handshake, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            var rest = await ReadHandshakeResponseAsync(socket, cancellationToken);
            return new HubClient(socket, rest, parse);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The first invocation of <paramref name="target"/> that <paramref name="match"/> accepts, waiting for it if
    /// needed. Invocations passed over stay for later calls, so the order in which a test asks does not matter.
    /// </summary>
    public async Task<HubInvocation> NextAsync(string target, Func<HubInvocation, bool>? match = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            var looked = 0;
            while (true)
            {
                for (; looked < _passedOver.Count; looked++)
                {
                    var seen = _passedOver[looked];
                    if (seen.Target == target && (match?.Invoke(seen) ?? true))
                    {
                        _passedOver.RemoveAt(looked);
                        return seen;
                    }
                }

                _passedOver.Add(await _invocations.Reader.ReadAsync(deadline.Token));
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching {target} arrived within {limit.TotalSeconds} s.");
        }
    }

    /// <summary>Everything received and not yet taken by <see cref="NextAsync"/>, without waiting.</summary>
    public List<HubInvocation> Drain()
    {
        var received = new List<HubInvocation>(_passedOver);
        _passedOver.Clear();
        while (_invocations.Reader.TryRead(out var invocation))
        {
            received.Add(invocation);
        }

        return received;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server is already gone; there is nobody left to say goodbye to.
            }
        }

        _socket.Abort();
        await Task.WhenAll(_receiving, _pinging).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
    }

    private static async Task<WebSocket> OpenClientWebSocketAsync(Uri uri, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<string> NegotiateAsync(HttpClient http, string hubPath, HubCredential credential, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{hubPath}/negotiate?negotiateVersion=1");
        if (credential.ApiKey is { } key)
        {
            request.Headers.Add("X-API-Key", key);
        }

        if (credential.AccessToken is { } token)
        {
            // As the browser client does: the token goes in the Authorization header wherever headers can be sent.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HubConnectionException($"Negotiation failed with {(int)response.StatusCode}: {body}", (int)response.StatusCode);
        }

        using var negotiation = JsonDocument.Parse(body);
        return negotiation.RootElement.GetProperty("connectionToken").GetString()
            ?? throw new HubConnectionException("The negotiate response has no connectionToken.");
    }

    /// <returns>Whatever arrived after the handshake response in the same read.</returns>
    private static async Task<ArraySegment<byte>> ReadHandshakeResponseAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var received = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await socket.ReceiveAsync(received.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new HubConnectionException("The server closed the connection during the handshake.");
            }

            received.Advance(result.Count);
            var end = received.WrittenSpan.IndexOf((byte)RecordSeparator);
            if (end < 0)
            {
                continue;
            }

            using var response = JsonDocument.Parse(received.WrittenMemory[..end]);
            if (response.RootElement.TryGetProperty("error", out var error))
            {
                throw new HubConnectionException($"The handshake was refused: {error.GetString()}");
            }

            return received.WrittenSpan[(end + 1)..].ToArray();
        }
    }

    private async Task ReceiveAsync(ArraySegment<byte> afterHandshake)
    {
        var pending = new ArrayBufferWriter<byte>();
        pending.Write(afterHandshake);
        try
        {
            while (true)
            {
                DispatchRecords(pending);
                var result = await _socket.ReceiveAsync(pending.GetMemory(16 * 1024), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                pending.Advance(result.Count);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Closed by either side; the channel's completion tells the reader.
        }
        finally
        {
            _invocations.Writer.TryComplete();
        }
    }

    /// <summary>Queues every complete record and keeps the incomplete tail for the next read.</summary>
    private void DispatchRecords(ArrayBufferWriter<byte> pending)
    {
        var data = pending.WrittenMemory;
        var consumed = 0;
        int end;
        while ((end = data.Span[consumed..].IndexOf((byte)RecordSeparator)) >= 0)
        {
            Interlocked.Increment(ref _records);
            if (_parse)
            {
                Dispatch(data.Slice(consumed, end));
            }

            consumed += end + 1;
        }

        if (consumed > 0)
        {
            var tail = data[consumed..].ToArray();
            pending.Clear();
            pending.Write(tail);
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> record)
    {
        using var message = JsonDocument.Parse(record);
        var root = message.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                var arguments = root.TryGetProperty("arguments", out var args) ? args.EnumerateArray().Select(a => a.Clone()).ToList() : [];
                _invocations.Writer.TryWrite(new HubInvocation(root.GetProperty("target").GetString()!, arguments, DateTimeOffset.UtcNow));
                break;
            case 7:
                _invocations.Writer.TryComplete(root.TryGetProperty("error", out var error)
                    ? new HubConnectionException($"The server closed the connection: {error.GetString()}")
                    : null);
                break;
        }
    }

    /// <summary>The server drops a client it has not heard from for 30 s; a ping every 15 s keeps this one.</summary>
    private async Task PingAsync()
    {
        using var timer = new PeriodicTimer(PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                // The only sender after the handshake, so sends never overlap.
                await _socket.SendAsync(Ping, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The connection is closing.
        }
    }
}
