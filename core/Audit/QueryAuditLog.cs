using Workforce.Core.Storage;

namespace Workforce.Core.Audit;

/// <summary>The tenant's audit log in a range (default: the last 7 days), newest first; tenant keys only.</summary>
public sealed class QueryAuditLog(IAuditLog log, TimeProvider clock)
{
    public async Task<Outcome<Page<AuditEntry>>> ExecuteAsync(
        Caller caller, DateTimeOffset? from, DateTimeOffset? to, string? actor, string? action, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(page);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        if (Paging.Check(page) is { } invalid)
        {
            return invalid;
        }

        var end = to ?? clock.GetUtcNow().AddTicks(1);
        var start = from ?? end.AddDays(-7);
        if (start >= end)
        {
            return Failure.Invalid("from", "from must be before to.");
        }

        try
        {
            var query = new AuditQuery(caller.TenantId, start, end, Blank(actor), Blank(action));
            return Outcome<Page<AuditEntry>>.Success(await log.QueryAsync(query, page, cancellationToken));
        }
        catch (InvalidCursorException)
        {
            return Paging.InvalidCursor;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
