using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker.Converters;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>
/// Declared for its attributes, which the SDK's metadata generator reads from the trigger's [InputConverter]: they
/// make the trigger's binding deferred (<c>supportsDeferredBinding</c>) for these parameter types, as in the package.
/// </summary>
[SupportsDeferredBinding]
[SupportedTargetType(typeof(ServiceBusReceivedMessage))]
[SupportedTargetType(typeof(ServiceBusReceivedMessage[]))]
internal sealed class ServiceBusReceivedMessageConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context) => new(ConversionResult.Failed(Standin.NotSupported()));
}

/// <summary>The converter the worker would use to hand a function its <see cref="ServiceBusMessageActions"/>.</summary>
internal sealed class ServiceBusMessageActionsConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context) => new(ConversionResult.Failed(Standin.NotSupported()));
}
