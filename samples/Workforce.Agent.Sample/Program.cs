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

if (sample.Assign is { } capability)
{
    return await AssignAsync(sample, capability);
}

var builder = Host.CreateApplicationBuilder();
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = sample.Grace + TimeSpan.FromSeconds(15));
builder.Services.AddWorkforceAgent(sample.Apply)
    .Handle<EchoInput, EchoResult>("echo", SampleHandlers.EchoAsync)
    .Handle<EchoInput, EchoResult>("flaky", SampleHandlers.FlakyAsync)
    .Handle<SlowInput, SlowResult>("slow", SampleHandlers.SlowAsync)
    .Handle<EchoInput, EchoResult>("strict", SampleHandlers.StrictAsync)
    .OnMessage<TaskAssignment>("task_assignment", SampleHandlers.AssignmentAsync);
await builder.Build().RunAsync();
return 0;

// The manager: a strategic agent that connects, broadcasts one task_assignment to the agents with the capability, and stops.
static async Task<int> AssignAsync(SampleOptions sample, string capability)
{
    var options = new WorkforceAgentOptions { Role = "strategic" };
    sample.Apply(options);
    using var manager = new AgentHost(options).OnMessage<TaskAssignment>("task_assignment", SampleHandlers.AssignmentAsync);
    using var stop = new CancellationTokenSource();
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    var run = manager.RunAsync(stop.Token);
    try
    {
        while (manager.AgentId == Guid.Empty && !run.IsCompleted)
        {
            await Task.Delay(100, timeout.Token); // connecting: registering, or resuming the agent given
        }

        if (run.IsCompleted)
        {
            await run; // it could not connect: say why
            return 1;
        }

        var sent = await manager.BroadcastAsync("task_assignment", new TaskAssignment(capability, $"Please take the {capability} work."), capability: capability, cancellationToken: timeout.Token);
        Console.WriteLine(sent.Count == 0
            ? $"No agent has the capability {capability}: nothing assigned."
            : $"Manager {manager.AgentId} assigned {capability} work to {sent.Count} agents: {string.Join(", ", sent.Select(message => message.Receiver))}");
        return sent.Count > 0 ? 0 : 1;
    }
    catch (Exception failed) when (failed is OperationCanceledException or HttpRequestException)
    {
        Console.Error.WriteLine($"The manager could not assign the work: {failed.Message}");
        return 1;
    }
    finally
    {
        await stop.CancelAsync();
        await run;
    }
}
