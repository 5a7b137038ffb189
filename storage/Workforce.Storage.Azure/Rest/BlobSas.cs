using System.Globalization;

namespace Workforce.Storage.Azure.Rest;

/// <summary>
/// Read-only shared access signatures for one blob ("Create a service SAS" / "Create a user delegation SAS"), in
/// the string-to-sign format of service version 2020-12-06 and later.
/// </summary>
internal abstract class BlobSas(string accountName)
{
    /// <returns>The SAS query string, without the leading '?'.</returns>
    public abstract Task<string> ReadOnlyAsync(string container, string blob, DateTimeOffset expiresOn, CancellationToken cancellationToken);

    protected string CanonicalResource(string container, string blob) => $"/blob/{accountName}/{container}/{blob}";

    protected static string SasTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    protected static string Query(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));
}
