using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>Sends the <see cref="SignalRMessageAction"/>s of the property or return value it marks (binding type <c>signalR</c>, out).</summary>
public sealed class SignalROutputAttribute : OutputBindingAttribute
{
    /// <summary>The app setting (or prefix of identity settings) that names the Azure SignalR Service.</summary>
    public string? ConnectionStringSetting { get; set; }

    public string? HubName { get; set; }
}
