using System.Security.Cryptography;
using System.Text;

namespace Workforce.Notifications.Webhooks;

/// <summary>
/// Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, signed with HMAC-SHA256 under the secret's bytes (base64 after
/// <c>whsec_</c>), sent as <c>v1,{base64 signature}</c>; several signatures are separated by spaces.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}"));
        return $"v1,{Convert.ToBase64String(signature)}";
    }

    /// <summary>The <c>webhook-signature</c> header: one signature per secret.</summary>
    public static string Header(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, messageId, timestamp, body)));
}
