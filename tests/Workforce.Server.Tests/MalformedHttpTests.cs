using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Workforce.Testing;

namespace Workforce.Server.Tests;

/// <summary>
/// Requests broken at the protocol level, sent as raw bytes to the real server process: Kestrel refuses them before
/// the application sees them, and must do so with a 4xx, never a 5xx or a dropped connection without an answer.
/// </summary>
public sealed class MalformedHttpTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-malformed-http", Guid.NewGuid().ToString("N"));
    private ServerProcess _server = null!;

    public static TheoryData<string, string> Requests => new()
    {
        { "a header line without a colon", "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-API-Key k\r\nContent-Length: 2\r\n\r\n{}" },
        { "a header name with a space", "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX API-Key: k\r\nContent-Length: 2\r\n\r\n{}" },
        { "headers over 32 KiB", $"POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-API-Key: {new string('k', 40_000)}\r\nContent-Length: 2\r\n\r\n{{}}" },
        { "a control character in a header value", "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\u0001b\r\nContent-Length: 2\r\n\r\n{}" },
        { "a non-numeric Content-Length", "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: two\r\n\r\n{}" },
        { "two different Content-Lengths", "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}" },
        { "a broken chunk size", "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-API-Key: k\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n" },
        { "a request line with no version", "GET /api/v1/tasks\r\nHost: x\r\n\r\n" },
        { "a request target that is not a path", "GET api/v1/tasks HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "no Host header", "GET /api/v1/tasks HTTP/1.1\r\nX-API-Key: k\r\n\r\n" },
        { "an unknown charset", "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-API-Key: k\r\nContent-Type: application/json; charset=bogus\r\nContent-Length: 12\r\n\r\n{\"type\":\"x\"}" },
    };

    public async ValueTask InitializeAsync() =>
        _server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = "k",
        }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_request_broken_at_the_protocol_level_is_answered_with_a_4xx(string what, string request)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(_server.Address.Host, _server.Address.Port, TestContext.Current.CancellationToken);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), TestContext.Current.CancellationToken);

        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        var statusLine = Encoding.Latin1.GetString(buffer, 0, read).Split("\r\n")[0];

        Assert.True(Regex.IsMatch(statusLine, @"^HTTP/1\.1 4\d\d "), $"{what}: answered '{statusLine}'");
    }
}
