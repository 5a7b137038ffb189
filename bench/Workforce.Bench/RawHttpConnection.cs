using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Workforce.Bench;

/// <summary>An HTTP/1.1 response: the status and, when the caller asked for it, the body.</summary>
internal readonly record struct RawResponse(int Status, ReadOnlyMemory<byte> Body);

/// <summary>
/// A minimal keep-alive HTTP/1.1 client connection for load generation. HttpClient spends several times the CPU of
/// the server's own request handling, and on a 2-core machine every cycle the client burns is taken from the
/// server; this client writes preformatted requests and parses just the status line, Content-Length and chunked
/// framing, as wrk does. One request at a time per connection.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    // Kestrel's spelling of the two framing headers; this client talks only to the Workforce server.
    private static readonly byte[] ContentLength = "Content-Length: "u8.ToArray();
    private static readonly byte[] Chunked = "Transfer-Encoding: chunked"u8.ToArray();

    private readonly Socket _socket;
    private readonly string _host;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket, string host)
    {
        _socket = socket;
        _host = host;
    }

    public static async Task<RawHttpConnection> OpenAsync(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(server.Host), server.Port));
        return new RawHttpConnection(socket, server.Authority);
    }

    public async Task<RawResponse> SendAsync(string method, string path, string? apiKey, byte[]? body = null)
    {
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\nHost: ").Append(_host).Append("\r\n");
        if (apiKey is not null)
        {
            head.Append("X-API-Key: ").Append(apiKey).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(body?.Length ?? 0).Append("\r\n");
        if (body is not null)
        {
            head.Append("Content-Type: application/json\r\n");
        }

        head.Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        await _socket.SendAsync(body is null ? headBytes : [.. headBytes, .. body], SocketFlags.None);
        return await ReadResponseAsync();
    }

    public void Dispose() => _socket.Dispose();

    private async Task<RawResponse> ReadResponseAsync()
    {
        var headerLength = await ReadUntilAsync(HeaderEnd);
        var (status, chunked, length) = ParseHeader(_buffer.AsSpan(_start, headerLength));
        _start += headerLength + HeaderEnd.Length;
        if (chunked)
        {
            return new RawResponse(status, await ReadChunkedAsync());
        }

        await FillAsync(length);
        var body = _buffer.AsMemory(_start, length).ToArray();
        _start += length;
        return new RawResponse(status, body);
    }

    private static (int Status, bool Chunked, int Length) ParseHeader(ReadOnlySpan<byte> header)
    {
        if (!Utf8Parser.TryParse(header.Slice(9, 3), out int status, out _))
        {
            throw new InvalidDataException("The response has no HTTP status.");
        }

        var at = header.IndexOf(ContentLength);
        var length = 0;
        if (at >= 0 && !Utf8Parser.TryParse(header[(at + ContentLength.Length)..], out length, out _))
        {
            throw new InvalidDataException("The response has an unreadable Content-Length.");
        }

        return (status, header.IndexOf(Chunked) >= 0, length);
    }

    private async Task<byte[]> ReadChunkedAsync()
    {
        var body = new List<byte>();
        while (true)
        {
            var lineLength = await ReadUntilAsync(LineEnd);
            if (!Utf8Parser.TryParse(_buffer.AsSpan(_start, lineLength), out int size, out _, 'x'))
            {
                throw new InvalidDataException("The response has an unreadable chunk size.");
            }

            _start += lineLength + 2;
            await FillAsync(size + 2);
            body.AddRange(_buffer.AsSpan(_start, size));
            _start += size + 2;
            if (size == 0)
            {
                return [.. body];
            }
        }
    }

    /// <returns>How many bytes from the read position precede <paramref name="marker"/>.</returns>
    private async Task<int> ReadUntilAsync(byte[] marker)
    {
        while (true)
        {
            var found = _buffer.AsSpan(_start, _end - _start).IndexOf(marker);
            if (found >= 0)
            {
                return found;
            }

            await ReceiveAsync();
        }
    }

    private async Task FillAsync(int count)
    {
        while (_end - _start < count)
        {
            await ReceiveAsync();
        }
    }

    private async Task ReceiveAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            (_end, _start) = (_end - _start, 0);
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        _end += read > 0 ? read : throw new IOException("The server closed the connection.");
    }
}
