using Workforce.Core;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;

namespace Workforce.Storage.Tests;

/// <summary>Revising and removing tasks (<see cref="ITenantTransaction.Revise"/>, <see cref="ITenantTransaction.Remove"/>).</summary>
public abstract partial class WorkforceStoreContract
{
    [Fact]
    public async Task A_revision_replaces_the_editable_fields()
    {
        var task = NewTask(TenantA, TaskPriority.Low, ["gpu"]) with { Payload = new RawJson("""{"v":1}"""), Deadline = Now.AddHours(1) };
        await Write(TenantA, tx => tx.Add(task));
        var revised = task.Revise(TaskPriority.Critical, new RawJson("""{"v":2}"""), ["cpu", "python"], null, Now.AddSeconds(5));

        await Write(TenantA, tx => tx.Revise(revised));

        Assert.Equal(revised, await Store.FindTaskAsync(TenantA, task.Id), TaskComparer.Instance);
        var counts = await Store.CountTasksAsync(TenantA);
        Assert.Equal((0, 1), (counts.PendingAt(TaskPriority.Low), counts.PendingAt(TaskPriority.Critical)));
    }

    [Fact]
    public async Task A_revised_priority_goes_to_the_end_of_its_new_line_and_another_revision_keeps_its_place()
    {
        var firstHigh = NewTask(TenantA, TaskPriority.High);
        var moved = NewTask(TenantA, TaskPriority.Low);
        var kept = NewTask(TenantA, TaskPriority.High);
        var secondHigh = NewTask(TenantA, TaskPriority.High);
        foreach (var task in new[] { firstHigh, moved, kept, secondHigh })
        {
            await Write(TenantA, tx => tx.Add(task));
        }

        await Write(TenantA, tx => tx.Revise(moved.Revise(TaskPriority.High, null, [], null, Now)));
        await Write(TenantA, tx => tx.Revise(kept.Revise(TaskPriority.High, new RawJson("1"), [], null, Now)));
        var later = NewTask(TenantA, TaskPriority.High);
        await Write(TenantA, tx => tx.Add(later));

        var order = await Store.TransactAsync(TenantA, tx => Collect(tx.PendingTasksInLeaseOrder(Now)));

        Assert.Equal([firstHigh.Id, kept.Id, secondHigh.Id, moved.Id, later.Id], order.Select(t => t.Id));
        Assert.Equal(5, await Store.TransactAsync(TenantA, tx => tx.CountPendingTasksAsync()));
    }

    [Fact]
    public async Task A_removed_task_is_gone_with_its_history_and_from_every_view()
    {
        var agentId = Guid.NewGuid();
        var pending = NewTask(TenantA);
        var held = NewTask(TenantA);
        var finished = NewTask(TenantA);
        var kept = NewTask(TenantA);
        foreach (var task in new[] { pending, held, finished, kept })
        {
            await Write(TenantA, tx => tx.Submit(task));
        }

        var running = held.AssignTo(agentId, Now).Start(Now);
        var done = finished.Cancel(Now);
        await Write(TenantA, tx => { tx.Move(held, running); tx.Move(finished, done); });

        // As DeleteTask does: an unfinished task is cancelled, then removed, in one transaction.
        await Write(TenantA, tx => tx.Remove(tx.Move(pending, pending.Cancel(Now))));
        await Write(TenantA, tx => tx.Remove(tx.Move(running, running.Cancel(Now))));
        await Write(TenantA, tx => tx.Remove(done));

        foreach (var task in new[] { pending, held, finished })
        {
            Assert.Null(await Store.FindTaskAsync(TenantA, task.Id));
            Assert.Empty(await Store.GetTaskHistoryAsync(TenantA, task.Id));
        }

        Assert.Equal([kept.Id], (await Store.ListTasksAsync(TenantA, new TaskFilter(), new PageRequest(50, null))).Items.Select(t => t.Id));
        Assert.Equal([kept.Id], (await Store.TransactAsync(TenantA, tx => Collect(tx.PendingTasksInLeaseOrder(Now)))).Select(t => t.Id));
        Assert.Empty(await Store.TransactAsync(TenantA, tx => tx.TasksHeldByAsync(agentId)));
        Assert.Equal(1, await Store.TransactAsync(TenantA, tx => tx.CountPendingTasksAsync()));
        Assert.Equal(0, await Store.PurgeFinishedTasksAsync(Now.AddDays(1), 10));
        // The cancellations were still published, so the workflows and dashboards hear of them.
        Assert.Contains(Backend.Published, t => t.TaskId == held.Id && t.To == TaskState.Cancelled);
    }

    [Fact]
    public async Task A_tenant_cannot_remove_or_revise_another_tenants_task()
    {
        var task = NewTask(TenantA);
        await Write(TenantA, tx => tx.Add(task));

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Write(TenantB, tx => tx.Remove(task)));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => Write(TenantB, tx => tx.Revise(task.Revise(TaskPriority.High, null, [], null, Now))));

        Assert.Equal(task, await Store.FindTaskAsync(TenantA, task.Id), TaskComparer.Instance);
    }
}
