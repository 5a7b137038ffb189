namespace Workforce.Core.Messaging;

/// <summary>Agents' inboxes: durable messages, leased to their receiver for a visibility timeout, kept until acknowledged or expired.</summary>
public interface IMessageStore
{
    /// <summary>
    /// Keeps the messages (of one tenant, to one or more receivers) if no receiver would hold more than
    /// <paramref name="inboxLimit"/> unacknowledged, unexpired messages at <paramref name="now"/>; otherwise keeps none.
    /// Returns once they are durable.
    /// </summary>
    /// <returns>The receivers whose inbox is full (nothing was kept), or an empty list when all were kept.</returns>
    Task<IReadOnlyList<Guid>> SendAsync(string tenantId, IReadOnlyList<AgentMessage> messages, int inboxLimit, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="limit"/> of the agent's messages that are unacknowledged, unexpired and not leased
    /// at <paramref name="now"/>, oldest first (send order), each hidden until <paramref name="now"/> plus
    /// <paramref name="visibility"/>.
    /// </summary>
    Task<IReadOnlyList<DeliveredMessage>> ReceiveAsync(string tenantId, Guid agentId, DateTimeOffset now, TimeSpan visibility, int limit, CancellationToken cancellationToken = default);

    /// <summary>Marks the agent's message acknowledged; acknowledging it again changes nothing.</summary>
    /// <returns>False when the agent has no such message (never sent to it, or purged).</returns>
    Task<bool> AcknowledgeAsync(string tenantId, Guid agentId, Guid messageId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> messages of any tenant that were acknowledged or expired before <paramref name="now"/>.</summary>
    /// <returns>How many were deleted; fewer than the limit means none are left.</returns>
    Task<int> PurgeAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}
