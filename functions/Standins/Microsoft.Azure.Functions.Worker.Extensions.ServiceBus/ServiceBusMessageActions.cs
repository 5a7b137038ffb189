using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker.Converters;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>
/// Settles the message of a <see cref="ServiceBusTriggerAttribute"/> function. The package settles through the host's
/// gRPC settlement service; the stand-in only declares the members, virtual as in the package, whose protected
/// constructor exists for fakes in tests.
/// </summary>
[InputConverter(typeof(ServiceBusMessageActionsConverter))]
public class ServiceBusMessageActions
{
    protected ServiceBusMessageActions()
    {
    }

    public virtual Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        throw Standin.NotSupported();

    public virtual Task AbandonMessageAsync(
        ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default, CancellationToken cancellationToken = default) =>
        throw Standin.NotSupported();

    public virtual Task DeadLetterMessageAsync(
        ServiceBusReceivedMessage message,
        Dictionary<string, object>? propertiesToModify = default,
        string? deadLetterReason = default,
        string? deadLetterErrorDescription = default,
        CancellationToken cancellationToken = default) =>
        throw Standin.NotSupported();
}
