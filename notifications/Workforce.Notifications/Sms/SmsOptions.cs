using System.ComponentModel.DataAnnotations;

namespace Workforce.Notifications.Sms;

/// <summary>
/// Bound from <c>Workforce:Notifications:Sms</c>. Without <see cref="AccountSid"/> the channel is not configured and
/// every SMS delivery fails saying so, while the other channels work. Credentials come from configuration or Key
/// Vault and are never logged.
/// </summary>
public sealed class SmsOptions
{
    public const string Section = "Workforce:Notifications:Sms";

    public static readonly Uri TwilioUrl = new("https://api.twilio.com");

    /// <summary>
    /// Where Twilio's REST API is reached: Twilio itself unless configured otherwise (a local fake in tests). Twilio's
    /// library always addresses api.twilio.com; <see cref="TwilioBaseUrlHandler"/> sends its requests here instead.
    /// </summary>
    [Required]
    public Uri BaseUrl { get; set; } = TwilioUrl;

    /// <summary>The account that sends (<c>AC</c> and 32 hex digits), the user name of the API's basic authentication.</summary>
    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    /// <summary>The sender: a Twilio number of the account in E.164, a short code or an alphanumeric sender id. Set this or <see cref="MessagingServiceSid"/>.</summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service (<c>MG</c> and 32 hex digits) that picks the sender from its pool. Set this or <see cref="From"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccountSid);
}
