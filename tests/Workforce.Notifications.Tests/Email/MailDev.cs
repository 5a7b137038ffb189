using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Workforce.Notifications.Email;

namespace Workforce.Notifications.Tests.Email;

/// <summary>A message as MailDev received it: its own parse (JSON) and the raw source that came over SMTP.</summary>
internal sealed record ReceivedEmail(string Id, JsonElement Parsed, MimeMessage Source)
{
    public string Header(string name) => Parsed.GetProperty("headers").GetProperty(name.ToLowerInvariant()).GetString()!;
}

/// <summary>
/// The MailDev that test.sh starts: its SMTP address, with the credentials it requires, in <see cref="SmtpVariable"/>
/// and its HTTP API, where what it received is read back, in <see cref="ApiVariable"/>. Each test sends to
/// recipients of its own, so tests never see each other's mail.
/// </summary>
internal static class MailDev
{
    public const string SmtpVariable = "WORKFORCE_TEST_SMTP";

    public const string ApiVariable = "WORKFORCE_TEST_SMTP_API";

    public const string From = "notifications@workforce.test";

    private static readonly HttpClient Http = new();

    private static readonly string Setup =
        $"The email channel tests need an SMTP server: run ./test.sh, which starts MailDev, or start one (docs/notifications.md, \"Email\") and set "
        + $"{SmtpVariable}=smtp://user:password@127.0.0.1:port (a server that requires those credentials) and {ApiVariable}=http://127.0.0.1:port (its HTTP API).";

    /// <exception cref="InvalidOperationException">No SMTP server was started for the tests.</exception>
    public static Uri Smtp =>
        Environment.GetEnvironmentVariable(SmtpVariable) is { Length: > 0 } value && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme == "smtp" && uri.UserInfo.Contains(':', StringComparison.Ordinal)
            ? uri
            : throw new InvalidOperationException(Setup);

    /// <exception cref="InvalidOperationException">No SMTP server was started for the tests.</exception>
    public static Uri Api =>
        Environment.GetEnvironmentVariable(ApiVariable) is { Length: > 0 } value && Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException(Setup);

    public static string UserName => Uri.UnescapeDataString(Smtp.UserInfo.Split(':', 2)[0]);

    public static string Password => Uri.UnescapeDataString(Smtp.UserInfo.Split(':', 2)[1]);

    /// <summary>Options that reach MailDev: plain text on loopback, authenticated.</summary>
    public static EmailOptions Options() => new()
    {
        Host = Smtp.Host,
        Port = Smtp.Port,
        Security = EmailSecurity.None,
        UserName = UserName,
        Password = Password,
        FromAddress = From,
        FromName = "Workforce Alerts",
    };

    /// <summary>
    /// The messages MailDev holds for <paramref name="recipient"/>, in arrival order. MailDev stores a message before it
    /// answers 250, so whatever a send delivered is there once the send has returned.
    /// </summary>
    public static async Task<IReadOnlyList<ReceivedEmail>> ReceivedAsync(string recipient)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var all = await Http.GetFromJsonAsync<JsonElement>(new Uri(Api, "api/email"), cancellationToken);
        var received = new List<ReceivedEmail>();
        foreach (var email in all.EnumerateArray().Where(e => e.GetProperty("to").EnumerateArray().Any(to => to.GetProperty("address").GetString() == recipient)))
        {
            var id = email.GetProperty("id").GetString()!;
            await using var source = await Http.GetStreamAsync(new Uri(Api, $"api/email/{id}/source"), cancellationToken);
            received.Add(new(id, email, await MimeMessage.LoadAsync(source, cancellationToken)));
        }

        return received;
    }
}
