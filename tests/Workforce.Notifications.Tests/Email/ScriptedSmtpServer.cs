using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Workforce.Notifications.Tests.Email;

/// <summary>
/// An SMTP peer on loopback that answers as told: one chosen reply to RCPT and one to the end of DATA, or, when
/// <see cref="Silent"/>, nothing at all after accepting the connection. It records the commands it was sent.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string? _rcptReply;
    private readonly string _dataReply;
    private readonly Task _accepting;

    private ScriptedSmtpServer(string? rcptReply, string dataReply)
    {
        _rcptReply = rcptReply;
        _dataReply = dataReply;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Answers every command as a server that takes mail would, except RCPT and the end of DATA, with these replies.</summary>
    public static ScriptedSmtpServer Answering(string rcptReply = "250 2.1.5 OK", string dataReply = "250 2.0.0 OK queued") => new(rcptReply, dataReply);

    /// <summary>Accepts connections and never says a word, not even its greeting.</summary>
    public static ScriptedSmtpServer Silent() => new(null, "");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(_rcptReply is null ? HoldAsync(client) : ConverseAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }

        await Task.WhenAll(connections);
    }

    private async Task HoldAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposed: the connection closes without a word.
            }
        }
    }

    private async Task ConverseAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            try
            {
                await writer.WriteLineAsync("220 scripted.test ESMTP");
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    Commands.Enqueue(line);
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO" or "HELO":
                            await writer.WriteLineAsync("250 scripted.test");
                            break;
                        case "MAIL" or "RSET" or "NOOP":
                            await writer.WriteLineAsync("250 2.0.0 OK");
                            break;
                        case "RCPT":
                            await writer.WriteLineAsync(_rcptReply);
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                            while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                            {
                            }

                            await writer.WriteLineAsync(_dataReply);
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 2.0.0 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("502 5.5.1 Not implemented");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The client hung up, or the server is being disposed.
            }
        }
    }
}
