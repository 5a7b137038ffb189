using Microsoft.DurableTask.Client;
using Workforce.Core;
using Workforce.Core.Storage;
using Workforce.Orchestrations.TaskLifecycle;

namespace Workforce.Orchestrations.Operations;

/// <summary>
/// The operations view of orchestrations, scoped to the caller's tenant: a tenant sees the instances whose ids carry
/// its prefix (its tasks' lifecycles) and nothing of other tenants or of the platform's own jobs.
/// </summary>
public sealed class QueryOrchestrations(DurableTaskClient orchestrations)
{
    public async Task<Outcome<OrchestrationMetadata>> GetAsync(Caller caller, string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        return instanceId.StartsWith(TaskLifecycleInstance.TenantPrefix(caller.TenantId), StringComparison.Ordinal)
            && await orchestrations.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) is { } instance
                ? instance
                : Failure.NotFound($"Orchestration {instanceId}");
    }

    public async Task<Outcome<Page<OrchestrationMetadata>>> ListAsync(
        Caller caller, OrchestrationRuntimeStatus? status, string? name, PageRequest page, CancellationToken cancellationToken = default)
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

        // The engine's continuation token travels wrapped: a cursor it did not give out is refused here, because an
        // engine behind gRPC fails on a token it cannot parse as it fails when it is down.
        string? continuation = null;
        if (page.Cursor is not null && !EngineCursor.TryDecode(page.Cursor, out continuation))
        {
            return Paging.InvalidCursor;
        }

        var query = new OrchestrationQuery(
            Statuses: status is { } s ? [s] : null,
            InstanceIdPrefix: TaskLifecycleInstance.TenantPrefix(caller.TenantId),
            PageSize: page.Limit,
            FetchInputsAndOutputs: false,
            ContinuationToken: continuation);
        try
        {
            await foreach (var found in orchestrations.GetAllInstancesAsync(query).AsPages(continuation, page.Limit).WithCancellation(cancellationToken))
            {
                return new Page<OrchestrationMetadata>(
                    [.. found.Values.Where(i => name is null || i.Name == name)], found.ContinuationToken is { } next ? EngineCursor.Encode(next) : null);
            }

            return new Page<OrchestrationMetadata>([], null);
        }
        catch (ArgumentException)
        {
            return Paging.InvalidCursor;
        }
    }

    /// <summary>A page cursor that carries the engine's continuation token, marked so that other text is told apart.</summary>
    private static class EngineCursor
    {
        private const string Mark = "wf1:";

        public static string Encode(string token) =>
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Mark + token)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static bool TryDecode(string cursor, out string? token)
        {
            token = null;
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var bytes = new byte[base64.Length];
            if (!Convert.TryFromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='), bytes, out var written))
            {
                return false;
            }

            var text = System.Text.Encoding.UTF8.GetString(bytes, 0, written);
            if (!text.StartsWith(Mark, StringComparison.Ordinal))
            {
                return false;
            }

            token = text[Mark.Length..];
            return true;
        }
    }
}
