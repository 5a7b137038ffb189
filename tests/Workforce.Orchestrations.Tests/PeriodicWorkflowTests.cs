using Moq;
using Workforce.Orchestrations.AgentLiveness;
using Workforce.Orchestrations.Cleanup;
using Workforce.Orchestrations.Durable;
using TaskOptions = Workforce.Orchestrations.Durable.TaskOptions;

namespace Workforce.Orchestrations.Tests;

public sealed class PeriodicWorkflowTests
{
    private readonly Mock<OrchestrationContext> _context = new(MockBehavior.Strict);

    [Fact]
    public async Task Liveness_takes_batches_until_one_is_not_full()
    {
        _context.SetupSequence(c => c.CallActivityAsync<int>(WorkflowNames.TakeSilentAgentsOffline, 10, It.IsAny<TaskOptions?>()))
            .ReturnsAsync(10).ReturnsAsync(10).ReturnsAsync(3);

        var offline = await new AgentLivenessOrchestrator().RunAsync(_context.Object, new BatchInput(10, 20));

        Assert.Equal(23, offline);
        _context.Verify(c => c.CallActivityAsync<int>(WorkflowNames.TakeSilentAgentsOffline, 10, It.IsAny<TaskOptions?>()), Times.Exactly(3));
    }

    [Fact]
    public async Task Liveness_stops_after_its_batch_budget_even_with_work_left()
    {
        _context.Setup(c => c.CallActivityAsync<int>(WorkflowNames.TakeSilentAgentsOffline, 5, It.IsAny<TaskOptions?>())).ReturnsAsync(5);

        Assert.Equal(10, await new AgentLivenessOrchestrator().RunAsync(_context.Object, new BatchInput(5, 2)));
    }

    [Fact]
    public async Task Cleanup_runs_every_purge_in_bounded_batches_and_reports_the_counts()
    {
        _context.SetupSequence(c => c.CallActivityAsync<int>(WorkflowNames.PurgeFinishedTasks, 100, It.IsAny<TaskOptions?>()))
            .ReturnsAsync(100).ReturnsAsync(40);
        foreach (var purge in new[] { WorkflowNames.PurgeFinishedOrchestrations, WorkflowNames.PurgeExpiredSubmissions, WorkflowNames.PurgeDeadLetters })
        {
            _context.Setup(c => c.CallActivityAsync<int>(purge, 100, It.IsAny<TaskOptions?>())).ReturnsAsync(0);
        }

        var report = await new CleanupOrchestrator().RunAsync(_context.Object, new BatchInput(100, 20));

        Assert.Equal(140, report.Purged[WorkflowNames.PurgeFinishedTasks]);
        Assert.Equal(0, report.Purged[WorkflowNames.PurgeDeadLetters]);
        Assert.Equal(4, report.Purged.Count);
    }
}
