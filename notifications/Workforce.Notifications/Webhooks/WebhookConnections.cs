using System.Net;
using System.Net.Sockets;
using Workforce.Core.Notifications;

namespace Workforce.Notifications.Webhooks;

/// <summary>
/// Opens webhook connections only to public addresses (unless private targets are allowed): the check runs on the
/// addresses the name resolves to at connect time, so neither a name pointing inside nor one re-pointed after the
/// endpoint was created (DNS rebinding) reaches the platform's own network.
/// </summary>
internal static class WebhookConnections
{
    public static SocketsHttpHandler Handler(NotificationOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectCallback = options.AllowPrivateTargets ? null : ConnectToPublicAsync,
    };

    private static async ValueTask<Stream> ConnectToPublicAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(EndpointTargets.IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookAddressRefusedException($"{context.DnsEndPoint.Host} resolves only to private, loopback or link-local addresses; webhooks go only to public addresses.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

internal sealed class WebhookAddressRefusedException(string message) : Exception(message);
