using Microsoft.Extensions.Logging.Abstractions;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Notifications;
using Workforce.Core.Queues;
using Workforce.Core.Scheduling;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Tests;

/// <summary>
/// What every <see cref="IWorkforceStore"/> and <see cref="ITenantDirectory"/> must do. Each backend runs this
/// suite through a subclass that says how to create it.
/// </summary>
public abstract partial class WorkforceStoreContract : IAsyncLifetime
{
    protected const string TenantA = "tenant-a";
    protected const string TenantB = "tenant-b";
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private long _clockTicks;

    protected IStorageBackend Backend { get; private set; } = null!;

    private IWorkforceStore Store => Backend.Store;

    public async ValueTask InitializeAsync()
    {
        Backend = await CreateBackendAsync();
        await Backend.Directory.TryCreateTenantAsync(new Tenant(TenantA, "A", Now), ApiKeys.Hash("key-a"));
        await Backend.Directory.TryCreateTenantAsync(new Tenant(TenantB, "B", Now), ApiKeys.Hash("key-b"));
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    [Fact]
    public async Task A_committed_task_reads_back_field_for_field()
    {
        var task = NewTask(TenantA, TaskPriority.High, ["gpu", "python"]) with
        {
            Payload = new RawJson("""{"prompt":"héllo","n":[1,2,3]}"""),
            Deadline = Now.AddHours(1),
            MaxRetries = 7,
            TimeoutSeconds = 90,
            RetryOf = Guid.CreateVersion7(),
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        };
        await Write(TenantA, tx => tx.Add(task));

        Assert.Equal(task, await Store.FindTaskAsync(TenantA, task.Id), TaskComparer.Instance);
        Assert.Equal(task, await Store.TransactAsync(TenantA, tx => tx.FindTaskAsync(task.Id)), TaskComparer.Instance);
    }

    [Fact]
    public async Task Updates_replace_the_mutable_fields()
    {
        var task = NewTask(TenantA);
        await Write(TenantA, tx => tx.Add(task));
        var agentId = Guid.NewGuid();
        var moved = task.AssignTo(agentId, Now.AddSeconds(1)).Start(Now.AddSeconds(2)).Complete(new RawJson("[true]"), Now.AddSeconds(3));

        await Write(TenantA, tx => tx.Update(moved));

        Assert.Equal(moved, await Store.FindTaskAsync(TenantA, task.Id), TaskComparer.Instance);
    }

    [Fact]
    public async Task The_submissions_traceparent_survives_every_move_and_an_untraced_task_has_none()
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var traced = NewTask(TenantA) with { TraceParent = traceParent };
        var untraced = NewTask(TenantA);
        await Write(TenantA, tx => { tx.Add(traced); tx.Add(untraced); });

        await Write(TenantA, tx => tx.Update(traced.AssignTo(Guid.NewGuid(), Now.AddSeconds(1)).Start(Now.AddSeconds(2))));

        Assert.Equal(traceParent, (await Store.FindTaskAsync(TenantA, traced.Id))!.TraceParent);
        Assert.Null((await Store.FindTaskAsync(TenantA, untraced.Id))!.TraceParent);
    }

    [Fact]
    public async Task Work_that_throws_writes_nothing()
    {
        var task = NewTask(TenantA);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.TransactAsync<int>(TenantA, tx =>
        {
            tx.Add(task);
            throw new InvalidOperationException("changed my mind");
        }));

        Assert.Null(await Store.FindTaskAsync(TenantA, task.Id));
    }

    [Fact]
    public async Task A_tenant_never_sees_another_tenants_data()
    {
        var task = NewTask(TenantA);
        var agent = NewAgent(TenantA);
        await Write(TenantA, tx => tx.Add(task));
        await Write(TenantA, tx => tx.Add(agent, "hash-of-a-key"));

        Assert.Null(await Store.FindTaskAsync(TenantB, task.Id));
        Assert.Null(await Store.FindAgentAsync(TenantB, agent.Id));
        Assert.Null(await Store.TransactAsync(TenantB, tx => tx.FindTaskAsync(task.Id)));
        Assert.Empty((await Store.ListTasksAsync(TenantB, new(), new(50, null))).Items);
        Assert.Empty((await Store.ListAgentsAsync(TenantB, new(), new(50, null))).Items);
        Assert.Empty(await Store.TransactAsync(TenantB, tx => Collect(tx.PendingTasksInLeaseOrder(Now))));
    }

    [Fact]
    public async Task Pending_tasks_come_in_priority_then_submission_order()
    {
        var low = NewTask(TenantA, TaskPriority.Low);
        var firstHigh = NewTask(TenantA, TaskPriority.High);
        var critical = NewTask(TenantA, TaskPriority.Critical);
        var secondHigh = NewTask(TenantA, TaskPriority.High);
        var leased = NewTask(TenantA, TaskPriority.Critical).AssignTo(Guid.NewGuid(), Now);
        foreach (var task in new[] { low, firstHigh, critical, secondHigh, leased })
        {
            await Write(TenantA, tx => tx.Add(task));
        }

        var order = await Store.TransactAsync(TenantA, tx => Collect(tx.PendingTasksInLeaseOrder(Now)));

        Assert.Equal([critical.Id, firstHigh.Id, secondHigh.Id, low.Id], order.Select(t => t.Id));
    }

    [Fact]
    public async Task Lease_order_holds_beyond_one_page_of_candidates()
    {
        var tasks = Enumerable.Range(0, 75).Select(_ => NewTask(TenantA)).ToList();
        await Store.TransactAsync(TenantA, tx =>
        {
            tasks.ForEach(tx.Add);
            return ValueTask.FromResult(0);
        });

        var order = await Store.TransactAsync(TenantA, tx => Collect(tx.PendingTasksInLeaseOrder(Now)));

        Assert.Equal(tasks.Select(t => t.Id), order.Select(t => t.Id));
    }

    [Fact]
    public async Task The_pending_count_follows_every_state_change()
    {
        var tasks = Enumerable.Range(0, 3).Select(_ => NewTask(TenantA)).ToList();
        await Store.TransactAsync(TenantA, tx =>
        {
            tasks.ForEach(tx.Add);
            return ValueTask.FromResult(0);
        });
        await Write(TenantB, tx => tx.Add(NewTask(TenantB)));
        Assert.Equal(3, await Store.TransactAsync(TenantA, tx => tx.CountPendingTasksAsync()));

        var assigned = tasks[0].AssignTo(Guid.NewGuid(), Now);
        await Write(TenantA, tx => tx.Update(assigned));
        Assert.Equal(2, await Store.TransactAsync(TenantA, tx => tx.CountPendingTasksAsync()));

        await Write(TenantA, tx => tx.Update(assigned.Release("gone", Now)));
        Assert.Equal(3, await Store.TransactAsync(TenantA, tx => tx.CountPendingTasksAsync()));
        Assert.Equal(1, await Store.TransactAsync(TenantB, tx => tx.CountPendingTasksAsync()));
    }

    [Fact]
    public async Task Tasks_held_by_an_agent_are_its_assigned_and_running_ones()
    {
        var agentId = Guid.NewGuid();
        var assigned = NewTask(TenantA).AssignTo(agentId, Now);
        var running = NewTask(TenantA).AssignTo(agentId, Now).Start(Now);
        var done = NewTask(TenantA).AssignTo(agentId, Now).Complete(null, Now);
        var other = NewTask(TenantA).AssignTo(Guid.NewGuid(), Now);
        foreach (var task in new[] { assigned, running, done, other })
        {
            await Write(TenantA, tx => tx.Add(task));
        }

        var held = await Store.TransactAsync(TenantA, tx => tx.TasksHeldByAsync(agentId));

        Assert.Equal(new[] { assigned.Id, running.Id }.Order(), held.Select(t => t.Id).Order());
    }

    [Fact]
    public async Task Idempotent_submissions_are_found_until_they_expire()
    {
        var task = NewTask(TenantA);
        var submission = new IdempotentSubmission("order-42", task.Id, "fingerprint", Now.AddHours(24));
        await Write(TenantA, tx =>
        {
            tx.Add(task);
            tx.Add(submission);
        });

        Assert.Equal(submission, await Store.TransactAsync(TenantA, tx => tx.FindSubmissionAsync("order-42", Now)));
        Assert.Null(await Store.TransactAsync(TenantA, tx => tx.FindSubmissionAsync("order-42", Now.AddHours(24))));
        Assert.Null(await Store.TransactAsync(TenantB, tx => tx.FindSubmissionAsync("order-42", Now)));
    }

    [Fact]
    public async Task Task_lists_page_newest_first_with_cursors()
    {
        var tasks = Enumerable.Range(0, 7).Select(_ => NewTask(TenantA)).ToList();
        foreach (var task in tasks)
        {
            await Write(TenantA, tx => tx.Add(task));
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await Store.ListTasksAsync(TenantA, new(), new(3, cursor));
            Assert.InRange(page.Items.Count, 1, 3);
            seen.AddRange(page.Items.Select(t => t.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(tasks.Select(t => t.Id).Reverse(), seen);
    }

    [Fact]
    public async Task Task_lists_filter_by_state_priority_and_agent()
    {
        var agentId = Guid.NewGuid();
        var pendingHigh = NewTask(TenantA, TaskPriority.High);
        var pendingLow = NewTask(TenantA, TaskPriority.Low);
        var assignedHigh = NewTask(TenantA, TaskPriority.High).AssignTo(agentId, Now);
        foreach (var task in new[] { pendingHigh, pendingLow, assignedHigh })
        {
            await Write(TenantA, tx => tx.Add(task));
        }

        async Task<Guid[]> Ids(TaskFilter filter) => [.. (await Store.ListTasksAsync(TenantA, filter, new(50, null))).Items.Select(t => t.Id)];

        Assert.Equal([pendingLow.Id, pendingHigh.Id], await Ids(new(State: TaskState.Pending)));
        Assert.Equal([assignedHigh.Id, pendingHigh.Id], await Ids(new(Priority: TaskPriority.High)));
        Assert.Equal([assignedHigh.Id], await Ids(new(AgentId: agentId)));
        Assert.Equal([pendingHigh.Id], await Ids(new(TaskState.Pending, TaskPriority.High)));
    }

    [Fact]
    public async Task A_cursor_the_store_did_not_issue_is_rejected()
    {
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListTasksAsync(TenantA, new(), new(10, "not-a-cursor")));
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListAgentsAsync(TenantA, new(), new(10, "%%%")));
    }

    [Fact]
    public async Task Agents_list_in_registration_order_and_filter_by_status_and_capability()
    {
        var gpu = NewAgent(TenantA, "gpu", "python");
        var cpu = NewAgent(TenantA, "cpu");
        var busy = NewAgent(TenantA, "gpu") with { Capacity = 1 };
        foreach (var agent in new[] { gpu, cpu, busy })
        {
            await Write(TenantA, tx => tx.Add(agent, "hash-" + agent.Id));
        }

        await Write(TenantA, tx => tx.Update(busy.TaskAssigned()));

        async Task<Guid[]> Ids(AgentFilter filter, int limit = 50) => [.. (await Store.ListAgentsAsync(TenantA, filter, new(limit, null))).Items.Select(a => a.Id)];

        Assert.Equal([gpu.Id, cpu.Id, busy.Id], await Ids(new()));
        Assert.Equal([gpu.Id, busy.Id], await Ids(new(Capability: "gpu")));
        Assert.Equal([busy.Id], await Ids(new(Status: AgentStatus.Busy)));
        Assert.Equal([gpu.Id, cpu.Id], await Ids(new(Status: AgentStatus.Online)));

        var firstPage = await Store.ListAgentsAsync(TenantA, new(), new(2, null));
        var secondPage = await Store.ListAgentsAsync(TenantA, new(), new(2, firstPage.NextCursor));
        Assert.Equal([busy.Id], secondPage.Items.Select(a => a.Id));
        Assert.Null(secondPage.NextCursor);
    }

    [Fact]
    public async Task An_agent_reads_back_with_its_metrics_and_metadata()
    {
        var agent = NewAgent(TenantA, "gpu") with
        {
            Role = AgentRole.Tactical,
            Metadata = new RawJson("""{"region":"eu","version":3}"""),
        };
        await Write(TenantA, tx => tx.Add(agent, "hash"));
        var updated = agent.Heartbeat(Now.AddMinutes(1), new AgentMetrics(12.5, 2048, 30, Now.AddMinutes(1)));
        await Write(TenantA, tx => tx.Update(updated));

        Assert.Equal(updated with { Capabilities = [] }, (await Store.FindAgentAsync(TenantA, agent.Id))! with { Capabilities = [] });
        Assert.Equal(updated.Capabilities, (await Store.FindAgentAsync(TenantA, agent.Id))!.Capabilities);
    }

    [Fact]
    public async Task An_agent_reads_back_draining_until_it_is_resumed()
    {
        var agent = NewAgent(TenantA);
        await Write(TenantA, tx => tx.Add(agent, "hash"));

        await Write(TenantA, tx => tx.Update(agent.Drain()));
        Assert.True((await Store.FindAgentAsync(TenantA, agent.Id))!.Draining);
        Assert.True((await Store.ListAgentsAsync(TenantA, new(), new(10, null))).Items.Single().Draining);

        await Write(TenantA, tx => tx.Update(agent.Drain().Resume()));
        Assert.False((await Store.FindAgentAsync(TenantA, agent.Id))!.Draining);
    }

    [Fact]
    public async Task Agent_keys_identify_their_agent_until_it_is_removed()
    {
        var agent = NewAgent(TenantA);
        var keyHash = ApiKeys.Hash("agent-key");
        await Write(TenantA, tx => tx.Add(agent, keyHash));

        Assert.Equal(Caller.Agent(TenantA, agent.Id), await Backend.Directory.FindCallerAsync(keyHash));

        await Write(TenantA, tx => tx.Remove(agent));

        Assert.Null(await Backend.Directory.FindCallerAsync(keyHash));
        Assert.Null(await Store.FindAgentAsync(TenantA, agent.Id));
    }

    [Fact]
    public async Task The_directory_creates_each_tenant_once_and_grants_extra_keys()
    {
        Assert.False(await Backend.Directory.TryCreateTenantAsync(new Tenant(TenantA, "again", Now), ApiKeys.Hash("other")));
        Assert.Null(await Backend.Directory.FindCallerAsync(ApiKeys.Hash("other")));

        await Backend.Directory.AddTenantKeyAsync(TenantA, ApiKeys.Hash("second-key"));
        await Backend.Directory.AddTenantKeyAsync(TenantA, ApiKeys.Hash("second-key"));

        Assert.Equal(Caller.Tenant(TenantA), await Backend.Directory.FindCallerAsync(ApiKeys.Hash("key-a")));
        Assert.Equal(Caller.Tenant(TenantA), await Backend.Directory.FindCallerAsync(ApiKeys.Hash("second-key")));
        Assert.Equal("A", (await Backend.Directory.FindTenantAsync(TenantA))?.Name);
        Assert.Null(await Backend.Directory.FindTenantAsync("nobody"));
    }

    [Fact]
    public async Task A_256_KiB_payload_round_trips_intact()
    {
        var text = new string('a', (WorkTask.MaxPayloadBytes / 2) - 10) + "ü" + new string('z', (WorkTask.MaxPayloadBytes / 2) - 10);
        var task = NewTask(TenantA) with { Payload = new RawJson($"\"{text}\"") };
        Assert.True(task.Payload!.Value.Utf8Length <= WorkTask.MaxPayloadBytes);

        await Write(TenantA, tx => tx.Add(task));

        Assert.Equal(task.Payload, (await Store.FindTaskAsync(TenantA, task.Id))!.Payload);
    }

    [Fact]
    public async Task Committed_data_survives_a_restart()
    {
        var task = NewTask(TenantA);
        await Write(TenantA, tx => tx.Add(task));

        await Backend.ReopenAsync();

        Assert.Equal(task, await Backend.Store.FindTaskAsync(TenantA, task.Id), TaskComparer.Instance);
        Assert.Equal(Caller.Tenant(TenantA), await Backend.Directory.FindCallerAsync(ApiKeys.Hash("key-a")));
    }

    [Fact]
    public async Task Two_agents_racing_for_one_task_get_it_exactly_once()
    {
        var task = NewTask(TenantA);
        await Write(TenantA, tx => tx.Add(task));
        var agents = Enumerable.Range(0, 8).Select(_ => NewAgent(TenantA)).ToList();
        foreach (var agent in agents)
        {
            await Write(TenantA, tx => tx.Add(agent, "hash-" + agent.Id));
        }

        var lease = new LeaseTask(Store, new TaskAvailability(), new LeaseOptions(), TestBilling.Plans(), TimeProvider.System);
        var outcomes = await Task.WhenAll(agents.Select(a => Task.Run(() => lease.ExecuteAsync(Caller.Tenant(TenantA), a.Id))));

        var winners = outcomes.Where(o => o.Value is not null).ToList();
        Assert.Single(winners);
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        var stored = await Store.FindTaskAsync(TenantA, task.Id);
        Assert.Equal(winners[0].Value!.AssignedAgentId, stored!.AssignedAgentId);
        Assert.Equal(1, stored.Attempt);
        var activeTasks = 0;
        foreach (var agent in agents)
        {
            activeTasks += (await Store.FindAgentAsync(TenantA, agent.Id))!.ActiveTasks;
        }

        Assert.Equal(1, activeTasks);
    }

    [Fact]
    public async Task Concurrent_submissions_with_one_idempotency_key_make_one_task()
    {
        var submit = new SubmitTask(Store, new TaskOptions(), TestBilling.Plans(), new NotificationOptions(), TimeProvider.System, NullLogger<SubmitTask>.Instance);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => submit.ExecuteAsync(Caller.Tenant(TenantA), new SubmitTaskCommand("invoice"), "invoice-7"))));

        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.Single(outcomes.Select(o => o.Value!.Task.Id).Distinct());
        Assert.Single((await Store.ListTasksAsync(TenantA, new(), new(50, null))).Items);
        Assert.Equal(1, await Store.TransactAsync(TenantA, tx => tx.CountPendingTasksAsync()));
    }

    [Fact]
    public async Task Many_concurrent_submissions_are_all_kept_in_order_of_commit()
    {
        var tasks = Enumerable.Range(0, 200).Select(_ => NewTask(TenantA)).ToList();

        await Task.WhenAll(tasks.Select(t => Task.Run(() => Write(TenantA, tx => tx.Add(t)))));

        var pending = await Store.TransactAsync(TenantA, tx => Collect(tx.PendingTasksInLeaseOrder(Now)));
        Assert.Equal(tasks.Select(t => t.Id).Order(), pending.Select(t => t.Id).Order());
        Assert.Equal(200, await Store.TransactAsync(TenantA, tx => tx.CountPendingTasksAsync()));
    }

    [Fact]
    public async Task Recorded_transitions_are_kept_as_history_and_published_after_the_commit()
    {
        var task = NewTask(TenantA);
        var assigned = task.AssignTo(Guid.NewGuid(), Now.AddSeconds(1));
        await Write(TenantA, tx => tx.Submit(task));
        await Write(TenantA, tx => tx.Move(task, assigned));

        var history = await Store.GetTaskHistoryAsync(TenantA, task.Id);

        TaskTransition[] recorded = [TaskTransition.Between(null, task), TaskTransition.Between(task, assigned)];
        Assert.Equal(recorded, Backend.Published);
        // What observers alone need (type, priority, time in the state) is carried to them, not kept.
        Assert.Equal(recorded.Select(transition => transition with { Type = null, Priority = TaskPriority.Medium, Capabilities = null, InStateFor = null }), history);
        Assert.Empty(await Store.GetTaskHistoryAsync(TenantB, task.Id));
    }

    [Fact]
    public async Task Work_that_throws_publishes_nothing_and_sends_nothing()
    {
        var task = NewTask(TenantA);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.TransactAsync<int>(TenantA, tx =>
        {
            tx.Submit(task);
            tx.Send(TaskQueueMessage.For(task));
            throw new InvalidOperationException("changed my mind");
        }));

        Assert.Empty(Backend.Published);
        Assert.Empty(await Backend.Queues.ReceiveAsync(WorkQueues.ForPriority(task.Priority), 10));
    }

    [Fact]
    public async Task A_message_sent_in_a_transaction_arrives_with_the_commit()
    {
        var task = NewTask(TenantA, TaskPriority.High);

        await Write(TenantA, tx =>
        {
            tx.Submit(task);
            tx.Send(TaskQueueMessage.For(task));
        });

        var received = Assert.Single(await Backend.Queues.ReceiveAsync(WorkQueues.TasksHigh, 10));
        Assert.Equal(new TaskQueueMessage(TenantA, task.Id), TaskQueueMessage.Parse(received.Body));
        Assert.Equal(TenantA, received.TenantId);
    }

    [Fact]
    public async Task Held_tasks_are_found_across_tenants_and_only_while_held()
    {
        var agentA = NewAgent(TenantA);
        var agentB = NewAgent(TenantB);
        await Write(TenantA, tx => tx.Add(agentA, "hash-a"));
        await Write(TenantB, tx => tx.Add(agentB, "hash-b"));
        var assigned = NewTask(TenantA).AssignTo(agentA.Id, Now);
        var running = NewTask(TenantB).AssignTo(agentB.Id, Now).Start(Now);
        var done = NewTask(TenantA).AssignTo(agentA.Id, Now).Complete(null, Now);
        var waiting = NewTask(TenantA);
        foreach (var task in new[] { assigned, running, done, waiting })
        {
            await Write(task.TenantId, tx => tx.Add(task));
        }

        var held = await Store.ListHeldTasksAsync();

        Assert.Equal(new[] { assigned.Id, running.Id }.Order(), held.Select(t => t.Id).Order());
        Assert.Equal(TaskState.Running, held.Single(t => t.Id == running.Id).State);
    }

    [Fact]
    public async Task Silent_agents_are_found_across_tenants_until_they_are_offline()
    {
        var quiet = NewAgent(TenantA) with { LastHeartbeatAt = Now.AddMinutes(-5) };
        var alsoQuiet = NewAgent(TenantB) with { LastHeartbeatAt = Now.AddMinutes(-3) };
        var lively = NewAgent(TenantA) with { LastHeartbeatAt = Now };
        var gone = NewAgent(TenantA) with { LastHeartbeatAt = Now.AddMinutes(-10), Status = AgentStatus.Offline };
        foreach (var agent in new[] { quiet, alsoQuiet, lively, gone })
        {
            await Write(agent.TenantId, tx => tx.Add(agent, "hash-" + agent.Id));
        }

        var silent = await Store.FindSilentAgentsAsync(Now.AddMinutes(-1), limit: 10);

        Assert.Equal(new[] { quiet.Id, alsoQuiet.Id }.Order(), silent.Select(a => a.AgentId).Order());
        Assert.Contains(new AgentRef(TenantB, alsoQuiet.Id), silent);
        Assert.Single(await Store.FindSilentAgentsAsync(Now.AddMinutes(-1), limit: 1));
    }

    [Fact]
    public async Task Purging_deletes_finished_tasks_and_their_history_in_bounded_batches()
    {
        var old = Enumerable.Range(0, 3).Select(_ => NewTask(TenantA).Cancel(Now.AddDays(-8))).ToList();
        var recent = NewTask(TenantA).Cancel(Now.AddDays(-1));
        var active = NewTask(TenantA);
        foreach (var task in old.Append(recent).Append(active))
        {
            await Write(TenantA, tx => tx.Submit(task));
        }

        Assert.Equal(2, await Store.PurgeFinishedTasksAsync(Now.AddDays(-7), limit: 2));
        Assert.Equal(1, await Store.PurgeFinishedTasksAsync(Now.AddDays(-7), limit: 2));
        Assert.Equal(0, await Store.PurgeFinishedTasksAsync(Now.AddDays(-7), limit: 2));

        foreach (var task in old)
        {
            Assert.Null(await Store.FindTaskAsync(TenantA, task.Id));
            Assert.Empty(await Store.GetTaskHistoryAsync(TenantA, task.Id));
        }

        Assert.NotNull(await Store.FindTaskAsync(TenantA, recent.Id));
        Assert.NotNull(await Store.FindTaskAsync(TenantA, active.Id));
    }

    [Fact]
    public async Task Purging_deletes_expired_idempotency_records_only()
    {
        await Write(TenantA, tx =>
        {
            tx.Add(new IdempotentSubmission("old", Guid.NewGuid(), "f", Now.AddHours(-1)));
            tx.Add(new IdempotentSubmission("fresh", Guid.NewGuid(), "f", Now.AddHours(1)));
        });

        Assert.Equal(1, await Store.PurgeExpiredSubmissionsAsync(Now, limit: 10));
        Assert.NotNull(await Store.TransactAsync(TenantA, tx => tx.FindSubmissionAsync("fresh", Now)));
    }

    [Fact]
    public async Task Task_counts_tally_pending_tasks_per_priority_and_held_tasks_of_the_tenant_only()
    {
        var agent = NewAgent(TenantA);
        var critical = NewTask(TenantA, TaskPriority.Critical);
        var low = new[] { NewTask(TenantA, TaskPriority.Low), NewTask(TenantA, TaskPriority.Low) };
        var assigned = NewTask(TenantA, TaskPriority.High) with { State = TaskState.Assigned, AssignedAgentId = agent.Id };
        var running = NewTask(TenantA) with { State = TaskState.Running, AssignedAgentId = agent.Id };
        var done = NewTask(TenantA, TaskPriority.Critical) with { State = TaskState.Completed };
        await Write(TenantA, tx =>
        {
            tx.Add(agent, "agent-key-hash");
            foreach (var task in (WorkTask[])[critical, .. low, assigned, running, done])
            {
                tx.Add(task);
            }
        });
        await Write(TenantB, tx => tx.Add(NewTask(TenantB, TaskPriority.Low)));

        var counts = await Store.CountTasksAsync(TenantA);

        Assert.Equal(1, counts.PendingAt(TaskPriority.Critical));
        Assert.Equal(0, counts.PendingAt(TaskPriority.High));
        Assert.Equal(0, counts.PendingAt(TaskPriority.Medium));
        Assert.Equal(2, counts.PendingAt(TaskPriority.Low));
        Assert.Equal(1, counts.Assigned);
        Assert.Equal(1, counts.Running);
    }

    private Task<int> Write(string tenantId, Action<ITenantTransaction> write) =>
        Store.TransactAsync(tenantId, tx =>
        {
            write(tx);
            return ValueTask.FromResult(0);
        });

    private static async ValueTask<List<WorkTask>> Collect(IAsyncEnumerable<WorkTask> tasks)
    {
        var list = new List<WorkTask>();
        await foreach (var task in tasks)
        {
            list.Add(task);
        }

        return list;
    }

    /// <summary>Each new task is created a tick later, so submission order is also creation order.</summary>
    private WorkTask NewTask(string tenantId, TaskPriority priority = TaskPriority.Medium, string[]? capabilities = null)
    {
        var created = Now.AddTicks(Interlocked.Increment(ref _clockTicks));
        return new WorkTask
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Type = "contract",
            Priority = priority,
            RequiredCapabilities = capabilities ?? [],
            MaxRetries = 3,
            TimeoutSeconds = 300,
            CreatedAt = created,
            UpdatedAt = created,
        };
    }

    private static Agent NewAgent(string tenantId, params string[] capabilities) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        Name = "agent",
        Capabilities = capabilities,
        Capacity = 2,
        LastHeartbeatAt = Now,
        RegisteredAt = Now,
    };

    /// <summary>Records compare lists by reference; this compares a task by its values.</summary>
    private sealed class TaskComparer : IEqualityComparer<WorkTask?>
    {
        public static readonly TaskComparer Instance = new();

        public bool Equals(WorkTask? x, WorkTask? y) =>
            x is not null && y is not null
            && x with { RequiredCapabilities = [] } == y with { RequiredCapabilities = [] }
            && x.RequiredCapabilities.SequenceEqual(y.RequiredCapabilities);

        public int GetHashCode(WorkTask? obj) => obj?.Id.GetHashCode() ?? 0;
    }
}

public sealed class SqliteStoreContract : WorkforceStoreContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => Task.FromResult<IStorageBackend>(new SqliteBackend());
}

public sealed class AzureStoreContract : WorkforceStoreContract
{
    protected override Task<IStorageBackend> CreateBackendAsync() => AzureBackend.CreateAsync();
}
