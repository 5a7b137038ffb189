using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using MailKit.Security;

namespace Workforce.Notifications.Email;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum EmailSecurity
{
    /// <summary>Plain text throughout: only for a relay on the same machine or a trusted network.</summary>
    None,

    /// <summary>Upgrade with STARTTLS, and send nothing if the server does not offer it (submission, port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, port 465).</summary>
    SslOnConnect,

    /// <summary>TLS on connect for port 465, else STARTTLS when the server offers it, else plain text.</summary>
    Auto,
}

/// <summary>
/// The SMTP server that email notifications are handed to. Bound from <c>Workforce:Notifications:Email</c>; the
/// defaults are those of a submission server (port 587, STARTTLS required). Without <see cref="Host"/> (and
/// <see cref="FromAddress"/>) email is not configured: the channel is registered all the same and each send fails, saying so, until it is.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Workforce:Notifications:Email";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public EmailSecurity Security { get; set; } = EmailSecurity.StartTls;

    /// <summary>Authenticate with these when set (both or neither); from configuration or Key Vault, never logged.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender's address, required with <see cref="Host"/>; its domain is also that of the Message-IDs.</summary>
    public string? FromAddress { get; set; }

    [Required]
    public string FromName { get; set; } = "Workforce";

    /// <summary>Whether there is a server to send to, and a sender to send as (start-up validation requires both or neither).</summary>
    [MemberNotNullWhen(true, nameof(Host), nameof(FromAddress))]
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(FromAddress);

    internal SecureSocketOptions SocketOptions => Security switch
    {
        EmailSecurity.None => SecureSocketOptions.None,
        EmailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        EmailSecurity.Auto => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };
}
