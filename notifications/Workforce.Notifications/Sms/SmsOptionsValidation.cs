using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Workforce.Notifications.Sms;

/// <summary>
/// Checks at start-up what data annotations cannot: a configured account has its token and exactly one sender, the
/// SIDs have Twilio's shape, and the API is reached over HTTPS (plain HTTP only on loopback, for a local fake).
/// </summary>
internal sealed partial class SmsOptionsValidation : IValidateOptions<SmsOptions>
{
    private const string S = SmsOptions.Section;

    public ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BaseUrl is not { IsAbsoluteUri: true } url
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            failures.Add($"{S}:BaseUrl must be an absolute https URL (http only on loopback), e.g. {SmsOptions.TwilioUrl}.");
        }

        if (!options.IsConfigured)
        {
            if (!string.IsNullOrWhiteSpace(options.AuthToken))
            {
                failures.Add($"{S}:AuthToken is set but {S}:AccountSid is not: set both, or neither (no SMS).");
            }

            return Result(failures);
        }

        if (!AccountSid().IsMatch(options.AccountSid!))
        {
            failures.Add($"{S}:AccountSid must be a Twilio account SID: AC and 32 hex digits.");
        }

        if (string.IsNullOrWhiteSpace(options.AuthToken))
        {
            failures.Add($"{S}:AccountSid is set but {S}:AuthToken is not: set both, or neither (no SMS).");
        }

        var from = !string.IsNullOrWhiteSpace(options.From);
        var service = !string.IsNullOrWhiteSpace(options.MessagingServiceSid);
        if (from == service)
        {
            failures.Add($"Set exactly one of {S}:From (a Twilio number in E.164) and {S}:MessagingServiceSid.");
        }

        if (service && !ServiceSid().IsMatch(options.MessagingServiceSid!))
        {
            failures.Add($"{S}:MessagingServiceSid must be a Messaging Service SID: MG and 32 hex digits.");
        }

        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures) => failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountSid();

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceSid();
}
