using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Core.Tests.Usage;

public sealed class MeteringTests
{
    private readonly Platform _platform = new();

    private Task<PeriodUsage> UsageAsync() => UsageAsync(_platform);

    private static async Task<PeriodUsage> UsageAsync(Platform platform)
    {
        var subscription = (await platform.Store.FindSubscriptionAsync(Platform.TenantId))!;
        return await platform.Store.FindUsageAsync(Platform.TenantId, subscription.PeriodContaining(platform.Clock.GetUtcNow()).Start);
    }

    [Fact]
    public async Task An_accepted_task_counts_once_and_a_replayed_idempotency_key_does_not_count_again()
    {
        var command = new SubmitTaskCommand("work", Payload: new RawJson("{\"n\":1}"));
        await _platform.Submit.ExecuteAsync(Platform.Tenant, command, "key-1");
        await _platform.Submit.ExecuteAsync(Platform.Tenant, command, "key-1");

        var usage = await UsageAsync();

        Assert.Equal(1, usage.Tasks);
        Assert.Equal(7, usage.StorageBytes);
    }

    [Fact]
    public async Task Each_attempt_counts_its_running_time_to_the_second()
    {
        var agent = await _platform.RegisterAsync();
        var task = await _platform.SubmitAsync(maxRetries: 1);
        await _platform.LeaseAsync(agent);
        await _platform.Move.StartAsync(Platform.AgentCaller(agent), task.Id);
        _platform.Clock.Advance(TimeSpan.FromSeconds(2.2));
        await _platform.Move.FailAsync(Platform.AgentCaller(agent), task.Id, new FailTaskCommand("boom"));
        _platform.Clock.Advance(TimeSpan.FromMinutes(5));
        await _platform.LeaseAsync(agent);
        await _platform.Move.StartAsync(Platform.AgentCaller(agent), task.Id);
        _platform.Clock.Advance(TimeSpan.FromSeconds(4));
        await _platform.Move.CompleteAsync(Platform.AgentCaller(agent), task.Id, new CompleteTaskCommand(new RawJson("true")));

        var usage = await UsageAsync();

        Assert.Equal(3 + 4, usage.ComputeSeconds);
        Assert.Equal(4, usage.StorageBytes);
    }

    [Fact]
    public async Task Submissions_past_the_task_limit_are_refused_with_the_meter_use_and_limit()
    {
        _platform.Billing.Plans["free"].Tasks = 2;
        var platform = new Platform(billing: _platform.Billing);
        await platform.SubmitAsync();
        await platform.SubmitAsync();

        var refused = await platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("work"));

        Assert.Equal(FailureKind.QuotaExceeded, refused.Failure!.Kind);
        Assert.EndsWith("quota-exceeded", refused.Failure.Type, StringComparison.Ordinal);
        Assert.Equal("tasks", refused.Failure.Extensions!["meter"]);
        Assert.Equal(2m, refused.Failure.Extensions["used"]);
        Assert.Equal(2m, refused.Failure.Extensions["limit"]);
        Assert.True(refused.Failure.RetryAfter > TimeSpan.FromDays(29));
    }

    [Fact]
    public async Task A_patch_that_grows_the_payload_past_the_storage_limit_is_refused_as_the_submission_is_and_one_that_shrinks_it_is_not()
    {
        _platform.Billing.Plans["free"].StorageGigabytes = 20m / Workforce.Core.Plans.Plan.BytesPerGigabyte;
        var platform = new Platform(billing: _platform.Billing);
        var task = (await platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("work", Payload: new RawJson("{\"n\":1}")))).Value!.Task;
        var bigger = new RawJson("{\"text\":\"" + new string('x', 20) + "\"}");

        var submitted = await platform.Submit.ExecuteAsync(Platform.Tenant, new SubmitTaskCommand("work", Payload: bigger));
        var patched = await platform.Update.ExecuteAsync(Platform.Tenant, task.Id, new UpdateTaskCommand(Payload: new(bigger)));
        var shrunk = await platform.Update.ExecuteAsync(Platform.Tenant, task.Id, new UpdateTaskCommand(Payload: new(new RawJson("1"))));

        Assert.Equal(FailureKind.QuotaExceeded, patched.Failure!.Kind);
        Assert.Equal((submitted.Failure!.Type, submitted.Failure.Detail), (patched.Failure.Type, patched.Failure.Detail));
        Assert.Equal("storageBytes", patched.Failure.Extensions!["meter"]);
        Assert.Equal(2, shrunk.Value!.Revision);
        Assert.Equal(1, (await UsageAsync(platform)).StorageBytes);
    }

    [Fact]
    public async Task Out_of_compute_minutes_an_agent_is_given_nothing_and_the_task_stays_pending()
    {
        _platform.Billing.Plans["free"].ComputeMinutes = 1;
        var platform = new Platform(billing: _platform.Billing);
        var agent = await platform.RegisterAsync(capacity: 2);
        var first = await platform.SubmitAsync();
        var second = await platform.SubmitAsync();
        await platform.LeaseAsync(agent);
        await platform.Move.StartAsync(Platform.AgentCaller(agent), first.Id);
        platform.Clock.Advance(TimeSpan.FromSeconds(61));
        await platform.Move.CompleteAsync(Platform.AgentCaller(agent), first.Id, new CompleteTaskCommand());

        Assert.Null(await platform.LeaseAsync(agent));
        Assert.Equal(TaskState.Pending, (await platform.Store.FindTaskAsync(Platform.TenantId, second.Id))!.State);
    }

    [Fact]
    public async Task Warnings_go_out_once_each_at_80_and_100_percent()
    {
        _platform.Billing.Plans["free"].Tasks = 5;
        var platform = new Platform(billing: _platform.Billing);
        for (var i = 0; i < 5; i++)
        {
            await platform.SubmitAsync();
        }

        Assert.Equal([(Meter.Tasks, 80, 4L), (Meter.Tasks, 100, 5L)], platform.Store.Notices.Select(n => (n.Meter, n.Percent, n.Used)));
    }
}
