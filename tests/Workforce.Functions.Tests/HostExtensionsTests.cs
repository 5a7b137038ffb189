namespace Workforce.Functions.Tests;

/// <summary>
/// The host-side extensions the SDK's generated extensions project (obj/…/WorkerExtensions/WorkerExtensions.csproj)
/// restored and built, as extensions.json hands them to the Functions host. Timer and HTTP triggers are built into
/// the host: their worker packages declare no host extension, so they have no entry.
/// </summary>
public sealed class HostExtensionsTests
{
    [Fact]
    public void The_host_loads_the_durable_extension_and_every_extension_from_the_build_output()
    {
        var durable = Assert.Single(FunctionsBuild.Extensions, e => e.Name == "DurableTask");

        Assert.Equal("Microsoft.Azure.WebJobs.Extensions.DurableTask", durable.Assembly);
        Assert.All(FunctionsBuild.Extensions, e =>
            Assert.True(File.Exists(Path.Combine(FunctionsBuild.OutputDirectory, e.HintPath)), $"extensions.json names {e.HintPath}, which the build did not write."));
    }

    [Fact]
    public void Service_bus_and_signalr_bring_their_host_extensions_unless_built_on_the_stand_ins()
    {
        // The stand-ins leave them out on purpose: their WebJobs packages do not restore here (docs/azure.md).
        var assemblies = FunctionsBuild.Extensions.Select(e => e.Assembly).ToList();

        Assert.All(new[] { "Microsoft.Azure.WebJobs.Extensions.ServiceBus", "Microsoft.Azure.WebJobs.Extensions.SignalRService" }, hostSide =>
        {
            if (FunctionsBuild.UsesExtensionStandins)
            {
                Assert.DoesNotContain(hostSide, assemblies);
            }
            else
            {
                Assert.Contains(hostSide, assemblies);
            }
        });
    }
}
