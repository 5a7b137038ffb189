using System.Runtime.CompilerServices;
using Workforce.Core.Agents;
using Workforce.Core.Analytics;
using Workforce.Core.Billing;
using Workforce.Core.Plans;
using Workforce.Core.Storage;
using Workforce.Core.Tasks;
using Workforce.Core.Usage;

namespace Workforce.Core.Reports;

/// <summary>
/// The one query of each report type, whose result every format writes: a performance report reads the analytics
/// history, a health report the agents, queues and servers, a billing report the invoices and usage, and an
/// agent-activity report streams the tasks themselves, page by page, so that its rows are never all in memory.
/// </summary>
public sealed class BuildReportDocument(
    IWorkforceStore store, IAnalyticsStore analytics, QueryAnalyticsSummary summaries, QueryUsageHistory usage, AnalyticsOptions analyticsOptions, TimeProvider clock)
{
    /// <summary>How many tasks the agent-activity report reads per page: large pages, few round trips, bounded memory.</summary>
    public const int TaskPageSize = 500;

    private const int MaxChartPoints = 360;

    private static readonly TimeSpan[] Steps =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1)];

    /// <exception cref="ReportFailedException">The report cannot be built from what is kept (nothing to retry).</exception>
    public Task<ReportDocument> BuildAsync(Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Type switch
        {
            ReportType.Performance => PerformanceAsync(report, cancellationToken),
            ReportType.Health => HealthAsync(report, cancellationToken),
            ReportType.Billing => BillingAsync(report, cancellationToken),
            _ => AgentActivityAsync(report, cancellationToken),
        };
    }

    /// <summary>
    /// The steps the report's charts are drawn in: the finest that keeps a chart within 360 points and that the kept
    /// rollups serve (minutes reach back 30 days, hours 13 months; older parts of the range have no data).
    /// </summary>
    public AnalyticsRange RangeOf(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = clock.GetUtcNow();
        var from = report.From < report.To - analyticsOptions.HourRetention ? report.To - analyticsOptions.HourRetention : report.From;
        foreach (var step in Steps)
        {
            if ((report.To - from) / step <= MaxChartPoints && AnalyticsRange.Resolve(from, report.To, step, now, analyticsOptions).Value is { } range)
            {
                return range;
            }
        }

        var last = AnalyticsRange.Resolve(from, report.To, Steps[^1], now, analyticsOptions);
        return last.Value ?? throw new ReportFailedException($"The range cannot be read from the analytics history: {last.Failure!.Errors?.Values.FirstOrDefault()?.FirstOrDefault() ?? last.Failure.Detail}");
    }

    private async Task<ReportDocument> PerformanceAsync(Report report, CancellationToken cancellationToken)
    {
        var range = RangeOf(report);
        var tasks = await ReadTaskStepsAsync(report, range, cancellationToken);
        var gauges = await range.ReadAsync(analytics, report.TenantId, AnalyticsSeries.Gauges, cancellationToken: cancellationToken);
        var summary = await summaries.SummariseAsync(report.TenantId, range, cancellationToken);
        var totals = Merge(tasks);
        var runTime = Percentiles.Of(totals.Histogram(AnalyticsValues.RunTime));
        var scheduleToStart = Percentiles.Of(totals.Histogram(AnalyticsValues.ScheduleToStart));
        var priority = ReportFilters.PriorityOf(report.Filters);
        var type = ReportFilters.TypeOf(report.Filters);
        IReadOnlyList<ReportFigure> figures =
        [
            new("Tasks submitted", totals.Counter(AnalyticsValues.Submitted)),
            new("Tasks completed", totals.Counter(AnalyticsValues.Completed)),
            new("Tasks failed", totals.Counter(AnalyticsValues.Failed)),
            new("Tasks cancelled", totals.Counter(AnalyticsValues.Cancelled)),
            new("Attempts retried", totals.Counter(AnalyticsValues.Retried)),
            new("Error rate", Decimal(AnalyticsMetrics.ErrorRate(totals)), "%"),
            new("Throughput", Decimal(totals.Counter(AnalyticsValues.Completed) / (range.To - range.From).TotalMinutes), "tasks/min"),
            new("Run time p50", Decimal(runTime.P50), "ms"),
            new("Run time p95", Decimal(runTime.P95), "ms"),
            new("Run time p99", Decimal(runTime.P99), "ms"),
            new("Schedule-to-start p50", Decimal(scheduleToStart.P50), "ms"),
            new("Schedule-to-start p95", Decimal(scheduleToStart.P95), "ms"),
            new("Schedule-to-start p99", Decimal(scheduleToStart.P99), "ms"),
            new("Average queue depth", Decimal(summary.Queue.AverageDepth), "tasks"),
            new("Peak queue depth", Decimal(summary.Queue.PeakDepth), "tasks"),
            new("Average online agents", Decimal(summary.Agents.AverageOnline), "agents"),
            new("Utilisation", Decimal(summary.Agents.Utilisation), "%"),
            new("API calls", summary.ApiCalls),
        ];
        IReadOnlyList<ReportChart> charts =
        [
            Chart(range, "Throughput", "tasks/min", tasks, ("Completed per minute", "throughput")),
            Chart(range, "Error rate", "%", tasks, ("Error rate", "errorRate")),
            Chart(range, "Run time", "ms", tasks, ("p50", "runTimeP50"), ("p95", "runTimeP95"), ("p99", "runTimeP99")),
            Chart(range, "Schedule-to-start latency", "ms", tasks, ("p50", "scheduleToStartP50"), ("p95", "scheduleToStartP95"), ("p99", "scheduleToStartP99")),
            Chart(range, "Utilisation", "%", gauges, ("Busy slots", "utilisation")),
        ];
        var byType = new ReportTable("By task type and priority",
            [
                new("type", "Type", ColumnKind.Text), new("priority", "Priority", ColumnKind.Text), new("submitted", "Submitted", ColumnKind.Count),
                new("completed", "Completed", ColumnKind.Count), new("failed", "Failed", ColumnKind.Count), new("errorRate", "Error rate (%)", ColumnKind.Number),
                new("runTimeP50Ms", "Run p50 (ms)", ColumnKind.Milliseconds), new("runTimeP95Ms", "Run p95 (ms)", ColumnKind.Milliseconds),
                new("runTimeP99Ms", "Run p99 (ms)", ColumnKind.Milliseconds),
            ],
            [.. summary.ByType
                .Where(each => (type is null || each.Type == type) && (priority is null || each.Priority == priority))
                .Select(each => (IReadOnlyList<object?>)[each.Type, TaskPriorities.Name(each.Priority), each.Submitted, each.Completed, each.Failed,
                    Decimal(each.ErrorRate), each.RunTime.P50, each.RunTime.P95, each.RunTime.P99])]);
        var rows = Enumerable.Range(0, range.Points).Select(i => (IReadOnlyList<object?>)
        [
            range.PointAt(i),
            tasks[i].Counter(AnalyticsValues.Submitted),
            tasks[i].Counter(AnalyticsValues.Completed),
            tasks[i].Counter(AnalyticsValues.Failed),
            Decimal(AnalyticsMetrics.ErrorRate(tasks[i])),
            tasks[i].Histogram(AnalyticsValues.RunTime)?.Quantile(0.50),
            tasks[i].Histogram(AnalyticsValues.RunTime)?.Quantile(0.95),
            tasks[i].Histogram(AnalyticsValues.RunTime)?.Quantile(0.99),
            Decimal(AnalyticsMetrics.Utilisation(gauges[i])),
        ]);
        var primary = new StreamedTable($"Per {Describe(range.Step)}",
            [
                new("at", "Step", ColumnKind.Time), new("submitted", "Submitted", ColumnKind.Count), new("completed", "Completed", ColumnKind.Count),
                new("failed", "Failed", ColumnKind.Count), new("errorRate", "Error rate (%)", ColumnKind.Number), new("p50Ms", "Run p50 (ms)", ColumnKind.Milliseconds),
                new("p95Ms", "Run p95 (ms)", ColumnKind.Milliseconds), new("p99Ms", "Run p99 (ms)", ColumnKind.Milliseconds),
                new("utilisation", "Utilisation (%)", ColumnKind.Number),
            ],
            Stream(rows));
        return Document(report, figures, charts, [byType], primary);
    }

    private async Task<ReportDocument> HealthAsync(Report report, CancellationToken cancellationToken)
    {
        var range = RangeOf(report);
        var gauges = await range.ReadAsync(analytics, report.TenantId, AnalyticsSeries.Gauges, cancellationToken: cancellationToken);
        var summary = await summaries.SummariseAsync(report.TenantId, range, cancellationToken);
        var agents = await AllAgentsAsync(report.TenantId, cancellationToken);
        var counts = await store.CountTasksAsync(report.TenantId, cancellationToken);
        var servers = new SortedDictionary<string, RollupValues[]>(StringComparer.Ordinal);
        await foreach (var rollup in analytics.ReadRollupsAsync(AnalyticsSeries.PlatformTenant, range.Resolution, AnalyticsSeries.ServerPrefix, range.From, range.To, cancellationToken))
        {
            if (!servers.TryGetValue(rollup.Series[AnalyticsSeries.ServerPrefix.Length..], out var steps))
            {
                servers[rollup.Series[AnalyticsSeries.ServerPrefix.Length..]] = steps = [.. Enumerable.Range(0, range.Points).Select(_ => new RollupValues())];
            }

            steps[(int)((rollup.Start - range.From) / range.Step)].Merge(rollup.Values);
        }

        var serverTotals = servers.ToDictionary(each => each.Key, each => Merge(each.Value), StringComparer.Ordinal);
        IReadOnlyList<ReportFigure> figures =
        [
            new("Agents registered", agents.Count),
            new("Agents online now", agents.Count(a => a.Status != AgentStatus.Offline)),
            new("Agents offline now", agents.Count(a => a.Status == AgentStatus.Offline)),
            new("Agents draining now", agents.Count(a => a.Draining)),
            new("Tasks waiting now", counts.Pending.Values.Sum()),
            new("Tasks held by agents now", counts.Assigned + counts.Running),
            new("Average queue depth", Decimal(summary.Queue.AverageDepth), "tasks"),
            new("Peak queue depth", Decimal(summary.Queue.PeakDepth), "tasks"),
            new("Average online agents", Decimal(summary.Agents.AverageOnline), "agents"),
            new("Peak online agents", summary.Agents.PeakOnline),
            new("Utilisation", Decimal(summary.Agents.Utilisation), "%"),
            new("Servers reporting", servers.Count),
        ];
        var queueSeries = TaskPriorities.All.Reverse()
            .Select(p => new ChartSeries(TaskPriorities.Name(p), Points(range, gauges, values => AnalyticsMetrics.QueueDepth(values, p))))
            .ToList();
        IReadOnlyList<ReportChart> charts =
        [
            new("Queue depth", "tasks", queueSeries),
            Chart(range, "Online agents", "agents", gauges, ("Online", "onlineAgents")),
            Chart(range, "Utilisation", "%", gauges, ("Busy slots", "utilisation")),
            new("Server CPU", "%", [.. servers.Select(s => new ChartSeries(s.Key, Points(range, s.Value, CpuPercent)))]),
            new("Server memory", "MB", [.. servers.Select(s => new ChartSeries(s.Key, Points(range, s.Value, values => values.Average(AnalyticsValues.MemoryMb))))]),
        ];
        var agentTable = new ReportTable("Agents",
            [
                new("name", "Name", ColumnKind.Text), new("agentId", "Id", ColumnKind.Text), new("status", "Status", ColumnKind.Text),
                new("capacity", "Capacity", ColumnKind.Count), new("activeTasks", "Active tasks", ColumnKind.Count),
                new("lastHeartbeatAt", "Last heartbeat", ColumnKind.Time), new("cpuPercent", "CPU (%)", ColumnKind.Number), new("memoryMb", "Memory (MB)", ColumnKind.Number),
            ],
            [.. agents.Select(a => (IReadOnlyList<object?>)
                [a.Name, a.Id.ToString(), a.Draining ? "draining" : a.Status.ToString().ToLowerInvariant(), (long)a.Capacity, (long)a.ActiveTasks,
                 a.LastHeartbeatAt, Decimal(a.Metrics?.CpuPercent), Decimal(a.Metrics?.MemoryMb)])]);
        var queueTable = new ReportTable("Queues now",
            [new("priority", "Priority", ColumnKind.Text), new("pending", "Waiting", ColumnKind.Count)],
            [.. TaskPriorities.All.Reverse().Select(p => (IReadOnlyList<object?>)[TaskPriorities.Name(p), (long)counts.PendingAt(p)])]);
        var serverTable = new ReportTable("Servers",
            [
                new("server", "Server", ColumnKind.Text), new("cpuPercent", "Average CPU (%)", ColumnKind.Number),
                new("memoryMb", "Average memory (MB)", ColumnKind.Number), new("peakMemoryMb", "Peak memory (MB)", ColumnKind.Number),
            ],
            [.. serverTotals.Select(s => (IReadOnlyList<object?>)
                [s.Key, Decimal(CpuPercent(s.Value)), Decimal(s.Value.Average(AnalyticsValues.MemoryMb)), (decimal?)s.Value.Peak(AnalyticsValues.MemoryMb)])]);
        var rows = Enumerable.Range(0, range.Points).Select(i =>
        {
            var cpu = servers.Values.Select(steps => CpuPercent(steps[i])).OfType<double>().ToList();
            var memory = servers.Values.Select(steps => steps[i].Average(AnalyticsValues.MemoryMb)).OfType<double>().ToList();
            return (IReadOnlyList<object?>)
            [
                range.PointAt(i),
                Decimal(AnalyticsMetrics.QueueDepth(gauges[i], null)),
                Decimal(gauges[i].Average(AnalyticsValues.AgentsOnline)),
                Decimal(AnalyticsMetrics.Utilisation(gauges[i])),
                cpu.Count == 0 ? null : Decimal(cpu.Average()),
                memory.Count == 0 ? null : Decimal(memory.Sum()),
            ];
        });
        var primary = new StreamedTable($"Per {Describe(range.Step)}",
            [
                new("at", "Step", ColumnKind.Time), new("queueDepth", "Queue depth", ColumnKind.Number), new("onlineAgents", "Online agents", ColumnKind.Number),
                new("utilisation", "Utilisation (%)", ColumnKind.Number), new("serverCpuPercent", "Server CPU (%, mean)", ColumnKind.Number),
                new("serverMemoryMb", "Server memory (MB, total)", ColumnKind.Number),
            ],
            Stream(rows));
        return Document(report, figures, charts, [agentTable, queueTable, serverTable], primary);
    }

    private async Task<ReportDocument> BillingAsync(Report report, CancellationToken cancellationToken)
    {
        var invoices = (await store.ListInvoicesAsync(report.TenantId, 1_000, cancellationToken))
            .Where(invoice => invoice.Period.Start < report.To && invoice.Period.End > report.From)
            .OrderBy(invoice => invoice.Period.Start)
            .ToList();
        var caller = Caller.Tenant(report.TenantId);
        var meters = new[] { Meter.Tasks, Meter.ComputeMinutes, Meter.ApiCalls };
        var histories = new List<UsageHistory>();
        foreach (var meter in meters)
        {
            var history = await usage.ExecuteAsync(caller, new UsageHistoryQuery(MeterNames.Of(meter), report.From, report.To), cancellationToken);
            histories.Add(history.Value ?? throw new ReportFailedException($"The usage history cannot be read: {history.Failure!.Detail}"));
        }

        var figures = new List<ReportFigure> { new("Invoices", invoices.Count) };
        foreach (var currency in invoices.GroupBy(invoice => invoice.Currency, StringComparer.Ordinal))
        {
            figures.Add(new("Billed", Amount(currency.Sum(i => i.TotalMinor), currency.Key), currency.Key));
            figures.Add(new("Paid", Amount(currency.Where(i => i.Status == InvoiceStatus.Paid).Sum(i => i.TotalMinor), currency.Key), currency.Key));
            figures.Add(new("Outstanding", Amount(currency.Where(i => i.IsCollectable).Sum(i => i.TotalMinor), currency.Key), currency.Key));
            figures.Add(new("Refunded", Amount(currency.Sum(i => i.RefundedMinor), currency.Key), currency.Key));
        }

        figures.AddRange(histories.Select(h => new ReportFigure($"Usage: {MeterNames.Of(h.Meter)}", h.Buckets.Sum(b => b.Quantity))));
        var charts = histories
            .Select(h => new ReportChart($"{MeterNames.Of(h.Meter)} per day", MeterNames.Of(h.Meter),
                [new ChartSeries(MeterNames.Of(h.Meter), [.. h.Buckets.Select(b => new ChartPoint(b.Start, (double)b.Quantity))])]))
            .ToList();
        var invoiceTable = InvoiceTable(invoices);
        var usageTable = new ReportTable("Usage per day",
            [new("day", "Day", ColumnKind.Time), .. histories.Select(h => new ReportColumn(MeterNames.Of(h.Meter), MeterNames.Of(h.Meter), ColumnKind.Number))],
            [.. histories[0].Buckets.Select((bucket, i) => (IReadOnlyList<object?>)[bucket.Start, .. histories.Select(h => (object?)h.Buckets[i].Quantity)])]);
        return Document(report, figures, charts, [invoiceTable, usageTable], InvoiceLines(invoices));
    }

    /// <summary>One invoice as a billing document, for its PDF.</summary>
    public ReportDocument InvoiceDocument(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        IReadOnlyList<ReportFigure> figures =
        [
            new("Total", Amount(invoice.TotalMinor, invoice.Currency), invoice.Currency),
            new("Refunded", Amount(invoice.RefundedMinor, invoice.Currency), invoice.Currency),
        ];
        var attempts = new ReportTable("Charges",
            [
                new("attempt", "Attempt", ColumnKind.Count), new("at", "At", ColumnKind.Time), new("succeeded", "Outcome", ColumnKind.Text),
                new("detail", "Payment or reason", ColumnKind.Text),
            ],
            [.. invoice.Attempts.Select(a => (IReadOnlyList<object?>)[(long)a.Number, a.At, a.Succeeded ? "paid" : "failed", a.Succeeded ? a.PaymentId : a.Failure])]);
        var refunds = new ReportTable("Refunds",
            [new("refundId", "Refund", ColumnKind.Text), new("at", "At", ColumnKind.Time), new("amount", "Amount", ColumnKind.Number), new("reason", "Reason", ColumnKind.Text)],
            [.. invoice.Refunds.Select(r => (IReadOnlyList<object?>)[r.Id, r.At, Amount(r.AmountMinor, invoice.Currency), r.Reason])]);
        return new ReportDocument(
            $"Invoice {invoice.Id}",
            invoice.TenantId,
            ReportType.Billing,
            invoice.Period.Start,
            invoice.Period.End,
            clock.GetUtcNow(),
            new Dictionary<string, string> { ["invoiceId"] = invoice.Id, ["plan"] = invoice.PlanId, ["status"] = InvoiceNames.Of(invoice.Status) },
            figures,
            [],
            [InvoiceTable([invoice]), attempts, refunds],
            InvoiceLines([invoice]));
    }

    private async Task<ReportDocument> AgentActivityAsync(Report report, CancellationToken cancellationToken)
    {
        var range = RangeOf(report);
        var tasks = await ReadTaskStepsAsync(report, range, cancellationToken);
        var totals = Merge(tasks);
        var names = (await AllAgentsAsync(report.TenantId, cancellationToken)).ToDictionary(a => a.Id, a => a.Name);
        var only = ReportFilters.AgentIdOf(report.Filters);
        var perAgent = new Dictionary<string, RollupValues>(StringComparer.Ordinal);
        await foreach (var rollup in analytics.ReadRollupsAsync(report.TenantId, range.Resolution, only is { } one ? AnalyticsSeries.Agent(one) : AnalyticsSeries.AgentPrefix,
            range.From, range.To, cancellationToken))
        {
            if (!perAgent.TryGetValue(rollup.Series, out var values))
            {
                perAgent[rollup.Series] = values = new RollupValues();
            }

            values.Merge(rollup.Values);
        }

        IReadOnlyList<ReportFigure> figures =
        [
            new("Tasks completed", totals.Counter(AnalyticsValues.Completed)),
            new("Tasks failed", totals.Counter(AnalyticsValues.Failed)),
            new("Attempts retried", totals.Counter(AnalyticsValues.Retried)),
            new("Error rate", Decimal(AnalyticsMetrics.ErrorRate(totals)), "%"),
            new("Agents active", perAgent.Count),
        ];
        IReadOnlyList<ReportChart> charts =
        [
            Chart(range, "Completed and failed", "tasks", tasks, ("Completed", "completed"), ("Failed", "failed")),
            Chart(range, "Run time", "ms", tasks, ("p50", "runTimeP50"), ("p95", "runTimeP95")),
        ];
        var agentTable = new ReportTable("Agents",
            [
                new("agentId", "Id", ColumnKind.Text), new("name", "Name", ColumnKind.Text), new("completed", "Completed", ColumnKind.Count),
                new("failed", "Failed", ColumnKind.Count), new("retried", "Retried", ColumnKind.Count), new("runTimeP50Ms", "Run p50 (ms)", ColumnKind.Milliseconds),
                new("runTimeP95Ms", "Run p95 (ms)", ColumnKind.Milliseconds),
            ],
            [.. perAgent
                .Select(each => (Id: Guid.TryParse(each.Key[AnalyticsSeries.AgentPrefix.Length..], out var id) ? id : Guid.Empty, Values: each.Value))
                .OrderByDescending(each => each.Values.Counter(AnalyticsValues.Completed))
                .Select(each => (IReadOnlyList<object?>)
                [
                    each.Id.ToString(), names.GetValueOrDefault(each.Id), each.Values.Counter(AnalyticsValues.Completed), each.Values.Counter(AnalyticsValues.Failed),
                    each.Values.Counter(AnalyticsValues.Retried), each.Values.Histogram(AnalyticsValues.RunTime)?.Quantile(0.50),
                    each.Values.Histogram(AnalyticsValues.RunTime)?.Quantile(0.95),
                ])]);
        var primary = new StreamedTable("Tasks handled",
            [
                new("taskId", "Task", ColumnKind.Text), new("type", "Type", ColumnKind.Text), new("priority", "Priority", ColumnKind.Text),
                new("state", "State", ColumnKind.Text), new("agentId", "Agent", ColumnKind.Text), new("attempts", "Attempts", ColumnKind.Count),
                new("createdAt", "Submitted", ColumnKind.Time), new("finishedAt", "Finished", ColumnKind.Time),
                new("turnaroundMs", "Submitted to finished (ms)", ColumnKind.Milliseconds),
            ],
            TaskRowsAsync(report, cancellationToken));
        return Document(report, figures, charts, [agentTable], primary);
    }

    /// <summary>
    /// The tasks agents handled (leased at least once) that were submitted in the range and pass the filters, newest
    /// first: read a page at a time as the renderer asks for rows, and no further back than the range's start.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<object?>> TaskRowsAsync(Report report, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var type = ReportFilters.TypeOf(report.Filters);
        var filter = new TaskFilter(Priority: ReportFilters.PriorityOf(report.Filters), AgentId: ReportFilters.AgentIdOf(report.Filters));
        string? cursor = null;
        do
        {
            var page = await store.ListTasksAsync(report.TenantId, filter, new PageRequest(TaskPageSize, cursor), cancellationToken);
            foreach (var task in page.Items)
            {
                if (task.CreatedAt < report.From)
                {
                    yield break;
                }

                if (task.CreatedAt >= report.To || task.Attempt == 0 || (type is not null && task.Type != type))
                {
                    continue;
                }

                yield return
                [
                    task.Id.ToString(), task.Type, TaskPriorities.Name(task.Priority), task.State.ToString().ToLowerInvariant(), task.AssignedAgentId?.ToString(),
                    (long)task.Attempt, task.CreatedAt, task.CompletedAt, task.CompletedAt is { } finished ? (long)(finished - task.CreatedAt).TotalMilliseconds : null,
                ];
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    private Task<RollupValues[]> ReadTaskStepsAsync(Report report, AnalyticsRange range, CancellationToken cancellationToken)
    {
        var type = ReportFilters.TypeOf(report.Filters);
        var priority = ReportFilters.PriorityOf(report.Filters);
        if (ReportFilters.AgentIdOf(report.Filters) is { } agentId)
        {
            return range.ReadAsync(analytics, report.TenantId, AnalyticsSeries.Agent(agentId), cancellationToken: cancellationToken);
        }

        if (type is null && priority is null)
        {
            return range.ReadAsync(analytics, report.TenantId, AnalyticsSeries.Tasks, cancellationToken: cancellationToken);
        }

        return range.ReadAsync(analytics, report.TenantId, priority is { } p ? AnalyticsSeries.TasksOf(p) : AnalyticsSeries.TaskBreakdown,
            series => type is null || (AnalyticsSeries.TryParseBreakdown(series, out _, out var each) && each == type), cancellationToken);
    }

    private async Task<List<Agent>> AllAgentsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var agents = new List<Agent>();
        string? cursor = null;
        do
        {
            var page = await store.ListAgentsAsync(tenantId, new AgentFilter(), new PageRequest(PageRequest.MaxLimit, cursor), cancellationToken);
            agents.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return agents;
    }

    private ReportDocument Document(Report report, IReadOnlyList<ReportFigure> figures, IReadOnlyList<ReportChart> charts, IReadOnlyList<ReportTable> tables, StreamedTable primary) =>
        new(ReportTypes.Title(report.Type), report.TenantId, report.Type, report.From, report.To, clock.GetUtcNow(), report.Filters, figures, charts, tables, primary);

    private static ReportTable InvoiceTable(IReadOnlyList<Invoice> invoices) => new("Invoices",
        [
            new("invoiceId", "Invoice", ColumnKind.Text), new("periodStart", "Period start", ColumnKind.Time), new("periodEnd", "Period end", ColumnKind.Time),
            new("plan", "Plan", ColumnKind.Text), new("status", "Status", ColumnKind.Text), new("total", "Total", ColumnKind.Number),
            new("currency", "Currency", ColumnKind.Text), new("issuedAt", "Issued", ColumnKind.Time), new("paidAt", "Paid", ColumnKind.Time),
        ],
        [.. invoices.Select(i => (IReadOnlyList<object?>)
            [i.Id, i.Period.Start, i.Period.End, i.PlanId, InvoiceNames.Of(i.Status), Amount(i.TotalMinor, i.Currency), i.Currency, i.IssuedAt, i.PaidAt])]);

    private static StreamedTable InvoiceLines(IReadOnlyList<Invoice> invoices) => new("Invoice lines",
        [
            new("invoiceId", "Invoice", ColumnKind.Text), new("periodStart", "Period start", ColumnKind.Time), new("kind", "Kind", ColumnKind.Text),
            new("description", "Description", ColumnKind.Text), new("quantity", "Quantity", ColumnKind.Number), new("unit", "Unit", ColumnKind.Text),
            new("unitPrice", "Unit price", ColumnKind.Number), new("amount", "Amount", ColumnKind.Number), new("currency", "Currency", ColumnKind.Text),
        ],
        Stream(invoices.SelectMany(i => i.Lines.Select(line => (IReadOnlyList<object?>)
            [i.Id, i.Period.Start, InvoiceNames.Of(line.Kind), line.Description, line.Quantity, line.Unit, line.UnitPrice, Amount(line.AmountMinor, i.Currency), i.Currency]))));

    private static ReportChart Chart(AnalyticsRange range, string title, string unit, RollupValues[] steps, params (string Name, string Metric)[] series) =>
        new(title, unit, [.. series.Select(s =>
        {
            var metric = AnalyticsMetrics.Find(s.Metric)!;
            return new ChartSeries(s.Name, Points(range, steps, values => metric.Read(values, range.Step, null)));
        })]);

    private static List<ChartPoint> Points(AnalyticsRange range, RollupValues[] steps, Func<RollupValues, double?> read) =>
        [.. steps.Select((values, i) => new ChartPoint(range.PointAt(i), read(values)))];

    private static double? CpuPercent(RollupValues values) => values.Average(AnalyticsValues.CpuCentiPercent) / 100;

    private static RollupValues Merge(IEnumerable<RollupValues> steps)
    {
        var total = new RollupValues();
        foreach (var step in steps)
        {
            total.Merge(step);
        }

        return total;
    }

    private static decimal Amount(long minor, string currency) => Money.FromMinorUnits(minor, currency).Amount;

    private static decimal? Decimal(double? value) => value is { } v && double.IsFinite(v) ? Math.Round((decimal)v, 4) : null;

    private static string Describe(TimeSpan step) => step switch
    {
        { TotalDays: >= 1 } when step.Ticks % TimeSpan.TicksPerDay == 0 => step.TotalDays == 1 ? "day" : $"{step.TotalDays:0} days",
        { TotalHours: >= 1 } when step.Ticks % TimeSpan.TicksPerHour == 0 => step.TotalHours == 1 ? "hour" : $"{step.TotalHours:0} hours",
        _ => step.TotalMinutes == 1 ? "minute" : $"{step.TotalMinutes:0} minutes",
    };

#pragma warning disable CS1998 // The rows are in memory already; the table's contract is a stream.
    private static async IAsyncEnumerable<IReadOnlyList<object?>> Stream(IEnumerable<IReadOnlyList<object?>> rows)
#pragma warning restore CS1998
    {
        foreach (var row in rows)
        {
            yield return row;
        }
    }
}

/// <summary>A report that cannot be made from what is kept: retrying will not help, so it is marked failed with this message.</summary>
public sealed class ReportFailedException(string message) : Exception(message);
