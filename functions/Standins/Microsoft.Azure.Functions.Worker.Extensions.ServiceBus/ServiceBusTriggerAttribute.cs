using Microsoft.Azure.Functions.Worker.Converters;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>
/// The Service Bus queue trigger, as the package declares it for a queue. The SDK's generators read the binding from
/// it without running it: the type name gives the binding type (<c>serviceBusTrigger</c>), the constructor parameter's
/// name and the set properties give its fields, <see cref="IsBatched"/>'s default gives the cardinality, and the input
/// converter's attributes say the worker binds <c>ServiceBusReceivedMessage</c> itself (deferred binding).
/// </summary>
[InputConverter(typeof(ServiceBusReceivedMessageConverter))]
[ConverterFallbackBehavior(ConverterFallbackBehavior.Default)]
public sealed class ServiceBusTriggerAttribute(string queueName) : TriggerBindingAttribute, ISupportCardinality
{
    /// <summary>The name of the queue to which to bind.</summary>
    public string? QueueName { get; } = queueName;

    /// <summary>The app setting (or prefix of identity settings) that names the Service Bus namespace.</summary>
    public string? Connection { get; set; }

    /// <summary>Whether the function takes a batch of messages; without the default the source generator fails (CS8785).</summary>
    [DefaultValue(false)]
    public bool IsBatched { get; set; }

    /// <summary>Whether the host completes the message after the function returns; false when the function settles it.</summary>
    public bool AutoCompleteMessages { get; set; }

    Cardinality ISupportCardinality.Cardinality
    {
        get => IsBatched ? Cardinality.Many : Cardinality.One;
        set => IsBatched = value == Cardinality.Many;
    }
}
