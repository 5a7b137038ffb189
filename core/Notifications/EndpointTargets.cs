using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Workforce.Core.Notifications;

/// <summary>
/// Which targets an endpoint may have. A webhook URL must be absolute https (http only when allowed) and may not
/// name a private, loopback or link-local address unless allowed: a tenant must not make the platform call into the
/// network it runs in. Names are checked again where the webhook channel connects, on the addresses they resolve to.
/// </summary>
public static partial class EndpointTargets
{
    /// <returns>Why the target is refused, or null.</returns>
    public static string? Refusal(NotificationChannel channel, string target, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        return channel switch
        {
            NotificationChannel.Webhook => WebhookRefusal(target, options),
            NotificationChannel.Email => IsEmailAddress(target) ? null : "Give one email address, such as ops@example.com.",
            _ => E164().IsMatch(target) ? null : "Give a phone number in E.164 form: + and the country code, such as +14155550123.",
        };
    }

    /// <summary>Whether the platform may connect to the address: not private, loopback, link-local, unique-local, shared (CGNAT), multicast or unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        var b = address.GetAddressBytes();
        return !(b[0] == 10
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127)
            || b[0] == 0
            || b[0] >= 224);
    }

    private static string? WebhookRefusal(string target, NotificationOptions options)
    {
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Give an absolute https URL without credentials, such as https://hooks.example.com/workforce.";
        }

        if (uri.Scheme == "http" && !options.AllowHttpTargets)
        {
            return "Use https: webhook payloads and signatures travel only over TLS (Workforce:Notifications:AllowHttpTargets allows http).";
        }

        var names = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? !IsPublic(IPAddress.Parse(uri.DnsSafeHost))
            : uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        return names && !options.AllowPrivateTargets
            ? $"{uri.Host} is a private, loopback or link-local address; webhooks go only to public addresses (Workforce:Notifications:AllowPrivateTargets allows them)."
            : null;
    }

    private static bool IsEmailAddress(string target) =>
        MailAddress.TryCreate(target, out var address) && address.Address == target && address.Host.Contains('.', StringComparison.Ordinal);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
