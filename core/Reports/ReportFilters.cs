using Workforce.Core.Tasks;

namespace Workforce.Core.Reports;

/// <summary>
/// The filters a report may take, and to which types they apply: <c>type</c> (a task type), <c>priority</c> and
/// <c>agentId</c>. Performance reports read the analytics history, which keeps an agent's figures across types and
/// priorities, so there <c>agentId</c> cannot be combined with the other two; agent-activity reports read the tasks
/// and take any of them; health and billing reports cover the whole tenant and take none.
/// </summary>
public static class ReportFilters
{
    public const string Type = "type";
    public const string Priority = "priority";
    public const string AgentId = "agentId";

    public const int MaxTypeLength = 100;

    /// <returns>The filters in their normal form (priority lower-case, agent id as a plain GUID); errors go to <paramref name="errors"/>.</returns>
    public static IReadOnlyDictionary<string, string> Check(ReportType? reportType, IReadOnlyDictionary<string, string>? filters, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var checkedFilters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (filters is null || filters.Count == 0)
        {
            return checkedFilters;
        }

        if (reportType is ReportType.Health or ReportType.Billing)
        {
            errors.Add("filters", $"{ReportTypes.Name(reportType.Value)} reports cover the whole tenant and take no filters.");
            return checkedFilters;
        }

        foreach (var (name, value) in filters)
        {
            switch (name)
            {
                case Type when !string.IsNullOrWhiteSpace(value) && value.Length <= MaxTypeLength:
                    checkedFilters[Type] = value;
                    break;
                case Type:
                    errors.Add("filters.type", $"Give a task type of 1 to {MaxTypeLength} characters.");
                    break;
                case Priority when TaskPriorities.Parse(value) is { } priority:
                    checkedFilters[Priority] = TaskPriorities.Name(priority);
                    break;
                case Priority:
                    errors.Add("filters.priority", "Give a priority: critical, high, medium or low.");
                    break;
                case AgentId when Guid.TryParse(value, out var agentId):
                    checkedFilters[AgentId] = agentId.ToString();
                    break;
                case AgentId:
                    errors.Add("filters.agentId", "Give an agent's id (a GUID).");
                    break;
                default:
                    errors.Add("filters", $"'{name}' is no filter; reports filter by type, priority and agentId.");
                    break;
            }
        }

        if (reportType == ReportType.Performance && checkedFilters.ContainsKey(AgentId) && (checkedFilters.ContainsKey(Type) || checkedFilters.ContainsKey(Priority)))
        {
            errors.Add("filters.agentId", "An agent's history is kept across types and priorities; filter a performance report by agentId or by type and priority.");
        }

        return checkedFilters;
    }

    public static string? TypeOf(IReadOnlyDictionary<string, string> filters) => filters.GetValueOrDefault(Type);

    public static TaskPriority? PriorityOf(IReadOnlyDictionary<string, string> filters) => TaskPriorities.Parse(filters.GetValueOrDefault(Priority));

    public static Guid? AgentIdOf(IReadOnlyDictionary<string, string> filters) =>
        Guid.TryParse(filters.GetValueOrDefault(AgentId), out var id) ? id : null;
}

/// <summary>The names of report types and formats as the API and file names spell them.</summary>
public static class ReportTypes
{
    public static string Name(ReportType type) => type switch
    {
        ReportType.Health => "health",
        ReportType.Billing => "billing",
        ReportType.Performance => "performance",
        _ => "agentActivity",
    };

    public static string Name(ReportFormat format) => format.ToString().ToLowerInvariant();

    public static string Title(ReportType type) => type switch
    {
        ReportType.Health => "System health",
        ReportType.Billing => "Billing summary",
        ReportType.Performance => "Performance",
        _ => "Agent activity",
    };
}
