namespace Workforce.Storage.Azure;

/// <summary>
/// A storage account as a connection string or an account name describes it: its name, its three service
/// endpoints, and its shared key (base64) when it has one; without a key, requests carry an Entra ID token. Parsed
/// here rather than by the SDKs so that start-up can say exactly what is wrong with a connection string, and so that
/// the three clients are built alike, from an endpoint and a credential.
/// </summary>
internal sealed record StorageAccount(string Name, Uri BlobEndpoint, Uri QueueEndpoint, Uri TableEndpoint, string? SharedKey)
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string Expected = "expected 'UseDevelopmentStorage=true' or 'AccountName=…;AccountKey=…' with optional DefaultEndpointsProtocol, EndpointSuffix and Blob/Queue/TableEndpoint";

    /// <summary>An account reached with Entra ID tokens: public endpoints, no key.</summary>
    public static StorageAccount ForTokens(string accountName, string endpointSuffix = "core.windows.net")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        return new(accountName, Endpoint("https", accountName, "blob", endpointSuffix), Endpoint("https", accountName, "queue", endpointSuffix),
            Endpoint("https", accountName, "table", endpointSuffix), SharedKey: null);
    }

    /// <exception cref="FormatException">The connection string is malformed; the message says what is wrong.</exception>
    public static StorageAccount Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"'{Redact(part)}' is not a Name=value setting; {Expected}.");
            }

            settings[part[..equals].Trim()] = part[(equals + 1)..].Trim();
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var development))
        {
            return string.Equals(development, "true", StringComparison.OrdinalIgnoreCase)
                ? Development(settings.GetValueOrDefault("DevelopmentStorageProxyUri"))
                : throw new FormatException($"UseDevelopmentStorage must be true when it is given; {Expected}.");
        }

        if (settings.ContainsKey("SharedAccessSignature"))
        {
            throw new FormatException("SAS connection strings are not supported: a SAS cannot create the tables and queues Workforce needs; use an account key or an Entra ID credential.");
        }

        var name = Required(settings, "AccountName");
        var key = Required(settings, "AccountKey");
        if (!Convert.TryFromBase64String(key, new byte[key.Length], out _))
        {
            throw new FormatException("AccountKey is not base64; copy it again from the storage account's access keys.");
        }

        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException($"DefaultEndpointsProtocol must be http or https, not '{protocol}'.");
        }

        var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        return new(name,
            ExplicitEndpoint(settings, "BlobEndpoint") ?? Endpoint(protocol, name, "blob", suffix),
            ExplicitEndpoint(settings, "QueueEndpoint") ?? Endpoint(protocol, name, "queue", suffix),
            ExplicitEndpoint(settings, "TableEndpoint") ?? Endpoint(protocol, name, "table", suffix),
            key);
    }

    /// <summary>Azurite on its default ports, or behind the given proxy.</summary>
    private static StorageAccount Development(string? proxy)
    {
        var host = proxy is null ? new Uri("http://127.0.0.1") : new Uri(proxy);
        Uri At(int port) => new($"{host.Scheme}://{host.Host}:{port}/{DevelopmentAccountName}");
        return new(DevelopmentAccountName, At(10000), At(10001), At(10002), DevelopmentAccountKey);
    }

    private static string Required(Dictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new FormatException($"{name} is missing; {Expected}.");

    private static Uri? ExplicitEndpoint(Dictionary<string, string> settings, string name)
    {
        if (!settings.TryGetValue(name, out var value))
        {
            return null;
        }

        // Without a trailing slash: the SDKs append the resource path to the endpoint as given.
        return Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"{name} '{value}' is not an absolute http(s) address.");
    }

    private static Uri Endpoint(string protocol, string account, string service, string suffix) => new($"{protocol}://{account}.{service}.{suffix}/");

    /// <summary>Never echo a key back into a log or an error message.</summary>
    private static string Redact(string part) => part.Length <= 12 ? part : part[..12] + "…";
}
