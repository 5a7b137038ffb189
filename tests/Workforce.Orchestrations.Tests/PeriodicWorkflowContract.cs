using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Workforce.Orchestrations.AgentLiveness;
using Workforce.Orchestrations.BillingCycle;
using Workforce.Orchestrations.Cleanup;
using Workforce.Testing.Durable;

namespace Workforce.Orchestrations.Tests;

/// <summary>The periodic sweeps' batching, on each engine, against activities that report scripted batch sizes.</summary>
public abstract class PeriodicWorkflowContract(EngineKind kind) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _batches = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentQueue<string> _closedFor = new();
    private WorkflowEngine _engine = null!;

    public async ValueTask InitializeAsync() =>
        _engine = await WorkflowEngine.StartAsync(kind, registry =>
        {
            registry.AddOrchestrator<AgentLivenessOrchestrator>(WorkflowNames.AgentLiveness).AddOrchestrator<CleanupOrchestrator>(WorkflowNames.Cleanup)
                .AddOrchestrator<BillingCycleOrchestrator>(WorkflowNames.BillingCycle);
            registry.AddActivityFunc<string, ClosedPeriodsResult>(WorkflowNames.CloseBillingPeriods, (_, tenantId) =>
            {
                var calls = _calls.AddOrUpdate(WorkflowNames.CloseBillingPeriods, 1, (_, n) => n + 1);
                _closedFor.Enqueue(tenantId);
                // The first period ends in a moment; the next one far later, so the cycle then sleeps.
                return new ClosedPeriodsResult(calls == 1 ? 0 : 1, [], new DunningSchedule([], TimeSpan.Zero), _engine.Clock.GetUtcNow() + (calls == 1 ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromDays(30)));
            });
            foreach (var activity in new[] { WorkflowNames.TakeSilentAgentsOffline, WorkflowNames.PurgeFinishedTasks, WorkflowNames.PurgeFinishedOrchestrations,
                WorkflowNames.PurgeExpiredSubmissions, WorkflowNames.PurgeDeadLetters, WorkflowNames.PurgeUsageEvents, WorkflowNames.PurgeDeliveries,
                WorkflowNames.PurgeMinuteRollups, WorkflowNames.PurgeHourRollups, WorkflowNames.PurgeAgentSamples, WorkflowNames.PurgeReports, WorkflowNames.PurgeAnomalies, WorkflowNames.PurgeAudit, WorkflowNames.PurgeMessages })
            {
                registry.AddActivityFunc<int, int>(activity, (_, batchSize) =>
                {
                    _calls.AddOrUpdate(activity, 1, (_, n) => n + 1);
                    return _batches.TryGetValue(activity, out var sizes) && sizes.TryDequeue(out var size) ? size : 0;
                });
            }
        });

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Liveness_takes_batches_until_one_is_not_full()
    {
        Script(WorkflowNames.TakeSilentAgentsOffline, 10, 10, 3);

        var offline = await RunAsync<int>(WorkflowNames.AgentLiveness, new BatchInput(10, 20));

        Assert.Equal(23, offline);
        Assert.Equal(3, _calls[WorkflowNames.TakeSilentAgentsOffline]);
    }

    [Fact]
    public async Task Liveness_stops_after_its_batch_budget_even_with_work_left()
    {
        Script(WorkflowNames.TakeSilentAgentsOffline, 5, 5, 5, 5);

        Assert.Equal(10, await RunAsync<int>(WorkflowNames.AgentLiveness, new BatchInput(5, 2)));
        Assert.Equal(2, _calls[WorkflowNames.TakeSilentAgentsOffline]);
    }

    [Fact]
    public async Task Cleanup_runs_every_purge_in_bounded_batches_and_reports_the_counts()
    {
        Script(WorkflowNames.PurgeFinishedTasks, 100, 40);

        var report = await RunAsync<CleanupReport>(WorkflowNames.Cleanup, new BatchInput(100, 20));

        Assert.Equal(140, report.Purged[WorkflowNames.PurgeFinishedTasks]);
        Assert.Equal(0, report.Purged[WorkflowNames.PurgeDeadLetters]);
        Assert.Equal(13, report.Purged.Count);
        Assert.Equal(1, _calls[WorkflowNames.PurgeMessages]);
        Assert.Equal(1, _calls[WorkflowNames.PurgeAnomalies]);
        Assert.Equal(1, _calls[WorkflowNames.PurgeAudit]);
        Assert.Equal(1, _calls[WorkflowNames.PurgeReports]);
        Assert.Equal(1, _calls[WorkflowNames.PurgeDeliveries]);
        Assert.Equal(1, _calls[WorkflowNames.PurgeAgentSamples]);
        Assert.Equal(2, _calls[WorkflowNames.PurgeFinishedTasks]);
        Assert.Equal(1, _calls[WorkflowNames.PurgeDeadLetters]);
    }

    [Fact]
    public async Task A_billing_cycle_closes_its_period_when_its_timer_fires_and_sleeps_until_the_next_one()
    {
        var instanceId = BillingCycleOrchestrator.InstanceId("acme");
        await _engine.Client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.BillingCycle, "acme", new StartOrchestrationOptions(instanceId));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_calls.GetValueOrDefault(WorkflowNames.CloseBillingPeriods) < 2)
        {
            await _engine.PassAsync(TimeSpan.FromMilliseconds(100));
            timeout.Token.ThrowIfCancellationRequested();
        }

        await _engine.PassAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, _calls[WorkflowNames.CloseBillingPeriods]);
        Assert.All(_closedFor, tenant => Assert.Equal("acme", tenant));
        var instance = await _engine.Client.GetInstanceAsync(instanceId, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance!.RuntimeStatus);
    }

    private void Script(string activity, params int[] sizes) => _batches[activity] = new ConcurrentQueue<int>(sizes);

    private async Task<T> RunAsync<T>(string orchestrator, BatchInput input)
    {
        var id = await _engine.Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input);
        return (await _engine.WaitForCompletionAsync(id)).ReadOutputAs<T>()!;
    }
}

public sealed class EmbeddedPeriodicWorkflowTests() : PeriodicWorkflowContract(EngineKind.Embedded);

public sealed class DurableTaskPeriodicWorkflowTests() : PeriodicWorkflowContract(EngineKind.DurableTask);
