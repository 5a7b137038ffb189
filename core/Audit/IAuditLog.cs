using Workforce.Core.Storage;

namespace Workforce.Core.Audit;

/// <summary>The append-only audit log, per tenant. Entries are never changed; only retention removes them.</summary>
public interface IAuditLog
{
    /// <summary>Keeps the entries (of any tenants); an entry already kept under its tenant and id is left as it was, so a retried batch adds nothing twice.</summary>
    Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>The matching entries, newest first, a page at a time.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by this log.</exception>
    Task<Page<AuditEntry>> QueryAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> entries of any tenant recorded before the cutoff.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default);
}
