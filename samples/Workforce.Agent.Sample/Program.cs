using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workforce.Agent;
using Workforce.Agent.Sample;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(SampleOptions.Help);
    return 0;
}

SampleOptions sample;
try
{
    sample = SampleOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (Exception invalid) when (invalid is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"{invalid.Message}\n\n{SampleOptions.Help}");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = sample.Grace + TimeSpan.FromSeconds(15));
builder.Services.AddWorkforceAgent(options =>
    {
        options.ServerUrl = sample.Server;
        options.TenantKey = sample.TenantKey;
        options.AgentId = sample.AgentId;
        options.AgentKey = sample.AgentKey;
        options.Name = sample.Name;
        options.Capacity = sample.Capacity;
        options.ShutdownGracePeriod = sample.Grace;
    })
    .Handle<EchoInput, EchoResult>("echo", SampleHandlers.EchoAsync)
    .Handle<EchoInput, EchoResult>("flaky", SampleHandlers.FlakyAsync)
    .Handle<SlowInput, SlowResult>("slow", SampleHandlers.SlowAsync)
    .Handle<EchoInput, EchoResult>("strict", SampleHandlers.StrictAsync);
await builder.Build().RunAsync();
return 0;
