extern alias FunctionsApp;

using System.Net;
using FunctionsApp::Workforce.Functions.Tasks;
using FunctionsApp::Workforce.Functions.Usage;
using Microsoft.DurableTask.Client;
using Workforce.Orchestrations.BillingCycle;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>Quotas and usage through the app's own functions: the same use cases and the same refusals as the server.</summary>
public sealed class UsageFunctionTests
{
    private static readonly Dictionary<string, string?> SmallFree = new() { ["Workforce:Billing:Plans:free:Tasks"] = "2" };

    [Fact]
    public async Task Submissions_past_the_quota_are_refused_and_usage_stays_readable()
    {
        await using var app = await FunctionsApp.StartAsync(settings: SmallFree);
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        for (var i = 0; i < 2; i++)
        {
            (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "work" })))
                .Expect(HttpStatusCode.Accepted);
        }

        var refused = await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "work" }));

        Assert.Equal(429, refused.Status);
        Assert.Equal("application/problem+json", refused.ContentType);
        Assert.Contains("\"meter\":\"tasks\"", refused.Body, StringComparison.Ordinal);
        var usage = (await app.HttpAsync<UsageFunctions>(nameof(UsageFunctions.GetUsage), FunctionRequest.Get("v1/usage", tenant.Key))).Expect(HttpStatusCode.OK);
        Assert.Equal(2, usage["meters"]!["tasks"]!["used"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_tenant_created_through_the_functions_gets_its_billing_cycle()
    {
        await using var app = await FunctionsApp.StartAsync();

        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);

        var cycle = await app.Engine.WaitUntilAsync(BillingCycleOrchestrator.InstanceId(tenant.Id), m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the billing cycle running");
        Assert.Equal(OrchestrationRuntimeStatus.Running, cycle.RuntimeStatus);
    }
}
