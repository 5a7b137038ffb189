using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>Gives a function the <see cref="SignalRConnectionInfo"/> a client connects with (binding type <c>signalRConnectionInfo</c>, in).</summary>
public sealed class SignalRConnectionInfoInputAttribute : InputBindingAttribute
{
    /// <summary>The app setting (or prefix of identity settings) that names the Azure SignalR Service.</summary>
    public string? ConnectionStringSetting { get; set; }

    public string? HubName { get; set; }

    /// <summary>The user the connection is signed for; a binding expression such as <c>{query.tenant}</c>.</summary>
    public string? UserId { get; set; }
}
