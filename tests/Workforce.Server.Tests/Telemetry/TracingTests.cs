using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Workforce.Server.Tests.Telemetry;

/// <summary>
/// The server with an in-memory exporter beside its own tracing set-up. Every server in the test process listens to
/// the same sources, so a test picks its spans out by trace id.
/// </summary>
public sealed class TracedApiFactory : WorkforceApiFactory
{
    private readonly LockedSpans _spans = [];

    /// <summary>The spans ended so far.</summary>
    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The test hook: the server's own tracer provider gains OpenTelemetry's in-memory exporter.
        builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans)));
    }

    /// <summary>The in-memory exporter appends from the thread that ends a span, while a test reads.</summary>
    private sealed class LockedSpans : Collection<Activity>
    {
        public IReadOnlyList<Activity> Snapshot()
        {
            lock (Items)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (Items)
            {
                base.InsertItem(index, item);
            }
        }
    }
}

public sealed class TracingTests(TracedApiFactory factory) : IClassFixture<TracedApiFactory>
{
    [Fact]
    public async Task Submission_lease_and_completion_form_one_connected_trace()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync(capabilities: ["nlp"]);
        using var agentClient = factory.Client(agent.Str("agentKey"));

        var submitted = await client.SubmitAsync(new { type = "translate", requiredCapabilities = new[] { "nlp" } });
        var submit = await SpanAsync(s => s.OperationName == "task.submit" && Tagged(s, submitted.Id()));
        // The stored traceparent names the submit span (its flags say sampled, and .NET adds the random-id bit).
        var traceParent = submitted.Str("traceContext");
        var stored = ActivityContext.Parse(traceParent, null);
        Assert.Equal((submit.TraceId, submit.SpanId), (stored.TraceId, stored.SpanId));
        Assert.True(stored.TraceFlags.HasFlag(ActivityTraceFlags.Recorded));

        // Behind the API: the submission's store transaction, the work queue's delivery and the lifecycle workflow.
        // Awaited before the task finishes, since a delivery that finds the task finished starts no workflow.
        var transaction = await SpanAsync(s => s.OperationName == "store.transaction" && s.ParentSpanId == submit.SpanId);
        Assert.Equal(submit.TraceId, transaction.TraceId);
        var delivery = await SpanAsync(s => s.OperationName == "task.lifecycle.start" && Tagged(s, submitted.Id()));
        Assert.Equal((submit.TraceId, submit.SpanId), (delivery.TraceId, delivery.ParentSpanId));
        var lifecycle = $"task:{submitted.Id():N}";
        var episode = await SpanAsync(s => s.OperationName == "workflow.episode TaskLifecycle"
            && s.GetTagItem("workflow.instance.id") is string instance && instance.EndsWith(lifecycle, StringComparison.Ordinal));
        Assert.Equal((submit.TraceId, delivery.SpanId), (episode.TraceId, episode.ParentSpanId));

        var leased = await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));
        Assert.Equal(submitted.Id(), leased.Id());
        Assert.Equal(traceParent, leased.Str("traceContext"));

        // The agent continues the trace it was handed, as the W3C header.
        var headers = new Dictionary<string, string> { ["traceparent"] = leased.Str("traceContext") };
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{leased.Id()}/complete", new { result = new { ok = true } }, headers));

        var lease = await SpanAsync(s => s.OperationName == "task.lease" && Tagged(s, submitted.Id()));
        var complete = await SpanAsync(s => s.OperationName == "task.complete" && Tagged(s, submitted.Id()));
        var completeRequest = await SpanAsync(s => s.Kind == ActivityKind.Server && s.TraceId == submit.TraceId && s.ParentSpanId == submit.SpanId
            && s.GetTagItem("url.path") is string path && path.EndsWith("/complete", StringComparison.Ordinal));
        var submitRequest = await SpanAsync(s => s.Kind == ActivityKind.Server && s.SpanId == submit.ParentSpanId);

        Assert.Equal(submit.TraceId, lease.TraceId);
        Assert.Equal(submit.SpanId, lease.ParentSpanId);
        Assert.Equal(submit.TraceId, complete.TraceId);
        Assert.Equal(completeRequest.SpanId, complete.ParentSpanId);
        Assert.Equal("POST", submitRequest.GetTagItem("http.request.method"));
        // The lease request itself belongs to the agent's own trace; the lease span links back to it.
        var leaseRequest = Assert.Single(lease.Links).Context;
        Assert.NotEqual(submit.TraceId, leaseRequest.TraceId);
        Assert.Equal("completed", complete.GetTagItem("workforce.task.state"));

    }

    [Fact]
    public async Task A_completion_sent_without_the_traceparent_links_to_the_submissions_trace()
    {
        using var client = await factory.NewTenantAsync();
        var agent = await client.RegisterAsync();
        using var agentClient = factory.Client(agent.Str("agentKey"));
        var submitted = await client.SubmitAsync(new { type = "plain" });
        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/agents/{agent.Id()}/lease"));

        await WorkforceClient.ReadAsync(await agentClient.PostAsync($"/api/v1/tasks/{submitted.Id()}/fail", new { error = "no", retryable = false }));

        var submit = await SpanAsync(s => s.OperationName == "task.submit" && Tagged(s, submitted.Id()));
        var fail = await SpanAsync(s => s.OperationName == "task.fail" && Tagged(s, submitted.Id()));
        Assert.NotEqual(submit.TraceId, fail.TraceId);
        Assert.Equal(submit.SpanId, Assert.Single(fail.Links).Context.SpanId);
        Assert.Equal(ActivityStatusCode.Unset, fail.Status);
    }

    private static bool Tagged(Activity span, Guid taskId) => Equals(span.GetTagItem("workforce.task.id"), taskId);

    /// <summary>
    /// Spans are exported when they end, which for a request span can be just after its response was read, and for
    /// the work queue's delivery and the workflow whenever the loaded machine gets to them: up to a minute.
    /// </summary>
    private async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        for (var waited = 0; waited < 1200; waited++)
        {
            if (factory.Spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new Xunit.Sdk.XunitException("No span matched within a minute; exported: " + string.Join(", ", factory.Spans.Select(s => s.OperationName).Distinct()));
    }
}
