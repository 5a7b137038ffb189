extern alias FunctionsApp;

using System.Net;
using FunctionsApp::Workforce.Functions.Reports;
using FunctionsApp::Workforce.Functions.Tasks;
using Microsoft.DurableTask.Client;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>A report asked for through the app's functions is made by the Durable workflow into an Azure blob.</summary>
public sealed class ReportFunctionTests
{
    [Fact]
    public async Task A_requested_report_is_generated_by_its_workflow_into_a_blob_that_the_link_serves()
    {
        await using var app = await FunctionsApp.StartAsync();
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", tenant.Key, new { type = "work" })))
            .Expect(HttpStatusCode.Accepted);
        var to = DateTimeOffset.UtcNow;

        var requested = (await app.HttpAsync<ReportFunctions>(nameof(ReportFunctions.RequestReport), FunctionRequest.Post("v1/reports", tenant.Key,
            new { type = "performance", format = "csv", from = to.AddHours(-2), to }))).Expect(HttpStatusCode.Accepted);
        var id = requested.Str("id");

        var run = await app.Engine.WaitForCompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var report = (await app.HttpAsync<ReportFunctions>(nameof(ReportFunctions.GetReport), FunctionRequest.Get($"v1/reports/{id}", tenant.Key))).Expect(HttpStatusCode.OK);
        Assert.Equal("ready", report.Str("status"));
        using var http = new HttpClient();
        var csv = await http.GetStringAsync(new Uri(report.Str("downloadUrl")), TestContext.Current.CancellationToken);
        Assert.StartsWith("at,", csv, StringComparison.Ordinal);
        Assert.Equal(report["length"]!.GetValue<long>(), System.Text.Encoding.UTF8.GetByteCount(csv));
    }
}
