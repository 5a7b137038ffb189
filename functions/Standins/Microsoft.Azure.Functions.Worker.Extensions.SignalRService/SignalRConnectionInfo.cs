namespace Microsoft.Azure.Functions.Worker;

/// <summary>Where and with which token a SignalR client connects to the service.</summary>
public sealed class SignalRConnectionInfo
{
    public string Url { get; set; } = "";

    public string AccessToken { get; set; } = "";
}
