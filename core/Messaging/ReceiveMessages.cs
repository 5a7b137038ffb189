using Workforce.Core.Storage;

namespace Workforce.Core.Messaging;

/// <summary>
/// Hands an agent a batch of its messages, oldest first, each leased for the visibility timeout: a receiver that
/// crashes before acknowledging gets it again. With a wait, the receive long-polls until a message arrives or the
/// wait ends. Only the agent's own key receives its messages.
/// </summary>
public sealed class ReceiveMessages(IWorkforceStore store, IMessageStore messages, MessageAvailability availability, MessagingOptions options, TimeProvider clock)
{
    public const int DefaultLimit = 10;

    /// <returns>The leased messages; empty when none arrived within the wait.</returns>
    public async Task<Outcome<IReadOnlyList<DeliveredMessage>>> ExecuteAsync(Caller caller, Guid agentId, int waitSeconds = 0, int limit = DefaultLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.AgentId != agentId)
        {
            return caller.IsAgent ? Failures.NotYourAgent : MessageDispatch.OnlyTheAgentReceives;
        }

        var errors = new FieldErrors();
        errors.Require(waitSeconds is >= 0 and <= MessagingOptions.MaxWaitSeconds, "waitSeconds", $"waitSeconds must be between 0 and {MessagingOptions.MaxWaitSeconds}.");
        errors.Require(limit is >= 1 and <= MessagingOptions.MaxBatch, "limit", $"limit must be between 1 and {MessagingOptions.MaxBatch}.");
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        if (await store.FindAgentAsync(caller.TenantId, agentId, cancellationToken) is null)
        {
            return Failure.NotFound($"Agent {agentId}");
        }

        var waitEnds = clock.GetUtcNow().AddSeconds(waitSeconds);
        while (true)
        {
            var signal = availability.NextSignal(caller.TenantId, agentId);
            var batch = await messages.ReceiveAsync(caller.TenantId, agentId, clock.GetUtcNow(), options.VisibilityTimeout, limit, cancellationToken);
            var remaining = waitEnds - clock.GetUtcNow();
            if (batch.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return Outcome<IReadOnlyList<DeliveredMessage>>.Success(batch);
            }

            var wait = remaining < options.RecheckInterval ? remaining : options.RecheckInterval;
            await signal.WaitAsync(wait, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
