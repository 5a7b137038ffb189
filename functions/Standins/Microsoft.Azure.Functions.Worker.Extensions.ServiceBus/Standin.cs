namespace Microsoft.Azure.Functions.Worker;

/// <summary>What every member of the stand-in does when something calls it: say what it is, and how to get the real one.</summary>
internal static class Standin
{
    public static NotSupportedException NotSupported() =>
        new("This is the compile-time stand-in of Microsoft.Azure.Functions.Worker.Extensions.ServiceBus; build without -p:FunctionsExtensionStandins=true to run Service Bus functions.");
}
