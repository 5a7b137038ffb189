using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Workforce.Notifications.Email;

/// <summary>
/// Checks at start-up what data annotations cannot: a configured server has a sender address, the credentials come
/// as a pair, and they never cross the network in the clear.
/// </summary>
internal sealed class EmailOptionsValidation : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.UserName) != string.IsNullOrWhiteSpace(options.Password))
        {
            failures.Add($"Set both {EmailOptions.Section}:UserName and {EmailOptions.Section}:Password, or neither (no authentication).");
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (!MailboxAddress.TryParse(options.FromAddress ?? "", out var from) || from.Name is { Length: > 0 } || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            failures.Add($"With {EmailOptions.Section}:Host set, set {EmailOptions.Section}:FromAddress to the sender's address (e.g. notifications@example.com); its display name is FromName.");
        }

        if (options.Security == EmailSecurity.None && !string.IsNullOrWhiteSpace(options.UserName) && !IsLoopback(options.Host))
        {
            failures.Add($"{EmailOptions.Section}:Security None would send the password to {options.Host} in the clear: use StartTls or SslOnConnect (None only with a server on loopback).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
