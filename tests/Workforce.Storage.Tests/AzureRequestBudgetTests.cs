using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Notifications;
using Workforce.Core.Scheduling;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Tests;

/// <summary>
/// How many Storage requests each step of a task costs on Azure: the adapter's own overhead, which decides its
/// throughput and its bill more than any emulator timing. Counted from the adapter's request meter, which counts
/// every request the SDKs send; the budgets catch a change that adds round trips (docs/performance.md records the counts).
/// </summary>
public sealed class AzureRequestBudgetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private IStorageBackend _backend = null!;

    public async ValueTask InitializeAsync()
    {
        _backend = await AzureBackend.CreateAsync();
        await _backend.Directory.TryCreateTenantAsync(new Tenant("t1", "T1", DateTimeOffset.UtcNow), ApiKeys.Hash("k"));
    }

    public async ValueTask DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task Each_step_of_a_task_costs_a_few_requests()
    {
        var caller = Caller.Tenant("t1");
        var options = new TaskOptions();
        var registered = await new RegisterAgent(_backend.Store, new AgentChangeFeed([], NullLogger<AgentChangeFeed>.Instance), TimeProvider.System).ExecuteAsync(caller, new RegisterAgentCommand("a"));
        var agent = registered.Value!.Agent.Id;
        var submit = new SubmitTask(_backend.Store, options, TestBilling.Plans(), new NotificationOptions(), TimeProvider.System, NullLogger<SubmitTask>.Instance);
        var lease = new LeaseTask(_backend.Store, new TaskAvailability(), new LeaseOptions(), TestBilling.Plans(), TimeProvider.System);
        var move = new MoveTask(_backend.Store, options, new NotificationInterest(_backend.Store, TimeProvider.System), TimeProvider.System, NullLogger<MoveTask>.Instance);

        var submitted = await Count(() => submit.ExecuteAsync(caller, new SubmitTaskCommand("work")));
        var taskId = Guid.Empty;
        var leased = await Count(async () => taskId = (await lease.ExecuteAsync(caller, agent)).Value!.Id);
        var started = await Count(() => move.StartAsync(caller, taskId));
        var completed = await Count(() => move.CompleteAsync(caller, taskId, new CompleteTaskCommand()));
        output.WriteLine($"requests: submit {submitted}, lease {leased}, start {started}, complete {completed}, in all {submitted + leased + started + completed}");

        Assert.Equal(TaskState.Completed, (await _backend.Store.FindTaskAsync("t1", taskId))!.State);
        // Metering reads the tenant row (its subscription) and the period's counters where quotas are checked or
        // usage is counted: submit, lease and complete each pay those two reads. The first completion also reads the
        // tenant's notification endpoints (does one ask for task.completed?), which is then known for 30 s. A task
        // without a deadline is handed to its lifecycle by its first lease, whose commit therefore also sends the
        // work-queue message and its ledger row; the submission sends none.
        Assert.InRange(submitted, 1, 4);
        Assert.InRange(leased, 1, 8);
        Assert.InRange(started, 1, 2);
        Assert.InRange(completed, 1, 6);
    }

    private static Task<long> Count(Func<Task> step) => AzureRequests.CountAsync(step);
}
