namespace Microsoft.Azure.Functions.Worker;

/// <summary>A message to SignalR clients: a hub method (<see cref="Target"/>) and its arguments, to one user if set.</summary>
public sealed class SignalRMessageAction(string target, object[]? arguments)
{
    public string Target { get; } = target ?? throw new ArgumentNullException(nameof(target));

    public object[]? Arguments { get; set; } = arguments;

    public string? UserId { get; set; }
}
