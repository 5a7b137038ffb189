extern alias FunctionsApp;

using System.Net;
using FunctionsApp::Workforce.Functions.Agents;
using FunctionsApp::Workforce.Functions.Audit;
using FunctionsApp::Workforce.Functions.Scheduling;
using FunctionsApp::Workforce.Functions.Tasks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Audit;
using Workforce.Core.Audit;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Cleanup;
using Workforce.Orchestrations.Scheduling;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>The audit log through the app's own functions: recorded in the request pipeline as on the server, and read back per tenant.</summary>
public sealed class AuditFunctionTests
{
    [Fact]
    public async Task State_changing_requests_are_audited_with_their_route_target_and_status_and_read_back_by_the_tenant()
    {
        await using var app = await FunctionsApp.StartAsync();
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        var other = await TaskLifecycleFunctionTests.TenantAsync(app, "other");
        var taskId = (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "x" })))
            .Expect(HttpStatusCode.Accepted).Id();
        var agent = (await app.HttpAsync<AgentFunctions>(nameof(AgentFunctions.RegisterAgent), FunctionRequest.Post("v1/agents", tenant.Key, new { name = "a" })))
            .Expect(HttpStatusCode.Created);
        (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.CancelTask), FunctionRequest.Post($"v1/tasks/{taskId}/cancel", tenant.Key))).Expect(HttpStatusCode.OK);
        (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "" }))).Problem(HttpStatusCode.BadRequest);
        await app.Get<AuditRecorder>().FlushAsync(CancellationToken.None);

        var log = (await app.HttpAsync<AuditFunctions>(nameof(AuditFunctions.GetAuditLog), FunctionRequest.Get("v1/audit", tenant.Key))).Expect(HttpStatusCode.OK);
        var theirs = (await app.HttpAsync<AuditFunctions>(nameof(AuditFunctions.GetAuditLog), FunctionRequest.Get("v1/audit", other.Key))).Expect(HttpStatusCode.OK);
        var byAgent = await app.HttpAsync<AuditFunctions>(nameof(AuditFunctions.GetAuditLog), FunctionRequest.Get("v1/audit", agent.Str("agentKey")));

        var entries = log["items"]!.AsArray().Select(e => e!).ToList();
        Assert.Equal(
            [
                ("POST v1/tasks", (string?)null, 400),
                ("POST v1/tasks/{id}/cancel", $"id={taskId}", 200),
                ("POST v1/agents", $"v1/agents/{agent.Id()}", 201),
                ("POST v1/tasks", $"v1/tasks/{taskId}", 202),
            ],
            entries.Select(e => (e.Str("action"), e["target"]?.GetValue<string>(), e["status"]!.GetValue<int>())));
        Assert.All(entries, e => Assert.Equal(AuditEntry.TenantKeyActor(ApiKeys.Hash(tenant.Key)), e.Str("actor")));
        Assert.All(entries, e => Assert.Equal("203.0.113.10", e.Str("clientIp")));
        Assert.DoesNotContain(tenant.Key, log.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(theirs["items"]!.AsArray());
        Assert.Equal(403, byAgent.Status);
        var platform = await app.Get<IAuditLog>().QueryAsync(
            new AuditQuery(AuditEntry.PlatformTenant, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1), AuditEntry.AdminActor, "POST v1/tenants"), new PageRequest(500, null));
        Assert.Contains(platform.Items, e => e.Target == $"v1/tenants/{tenant.Id}" && e.Status == 201);
    }

    [Fact]
    public async Task The_cleanup_timer_purges_audit_entries_past_their_retention_and_keeps_younger_ones()
    {
        await using var app = await FunctionsApp.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var log = app.Get<IAuditLog>();
        await log.AppendAsync(
        [
            new("old", "acme", now.AddDays(-91), "key:x", "POST v1/tasks", null, 202, null, null, null),
            new("platform-old", AuditEntry.PlatformTenant, now.AddDays(-100), AuditEntry.AdminActor, "POST v1/tenants", null, 201, null, null, null),
            new("young", "acme", now.AddDays(-89), "key:x", "POST v1/tasks", null, 202, null, null, null),
        ]);

        await app.InvokeAsync<ScheduledJobFunctions>((f, durable) => f.StartCleanup(new TimerInfo { IsPastDue = true }, durable, CancellationToken.None));

        var run = await app.Engine.WaitForCompletionAsync(ScheduledJobs.Cleanup.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(2, run.ReadOutputAs<CleanupReport>()!.Purged[WorkflowNames.PurgeAudit]);
        var kept = await log.QueryAsync(new AuditQuery("acme", now.AddDays(-200), now, null, null), new PageRequest(10, null));
        Assert.Equal(["young"], kept.Items.Select(e => e.Id));
    }
}
