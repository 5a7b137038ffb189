using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Neutral = Workforce.Orchestrations.Durable;

namespace Workforce.Functions.Workflows;

/// <summary>
/// The workflows' <see cref="Neutral.IOrchestrationClient"/> on Durable Functions. The client comes with each
/// invocation's [DurableClient] binding, so this adapter is scoped to the invocation and the function hands it the
/// bound client with <see cref="Use"/> before it calls the shared code.
/// </summary>
public sealed class DurableOrchestrationClient : Neutral.IOrchestrationClient
{
    private DurableTaskClient? _client;

    private DurableTaskClient Client => _client
        ?? throw new InvalidOperationException("This invocation has no Durable client; bind one with [DurableClient] and pass it to Use first.");

    public void Use(DurableTaskClient client) => _client = client;

    public async Task<string> ScheduleNewOrchestrationInstanceAsync(
        string orchestratorName, object? input = null, Neutral.StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var start = options is null ? null : new StartOrchestrationOptions(options.InstanceId, options.StartAt);
        try
        {
            return await Client.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, start, cancellationToken);
        }
        catch (Exception e) when (e is global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException
            or RpcException { StatusCode: StatusCode.AlreadyExists })
        {
            // Newer clients report an existing instance with the former, older ones let the host's gRPC status through.
            throw new Neutral.OrchestrationAlreadyExistsException(options?.InstanceId ?? "");
        }
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellationToken = default) =>
        Client.RaiseEventAsync(instanceId, eventName, eventPayload, cancellationToken);

    public async Task<Neutral.OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default) =>
        await Client.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken) is { } instance ? ToNeutral(instance) : null;

    public async Task<Neutral.OrchestrationPage> QueryInstancesAsync(Neutral.OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new OrchestrationQuery(
            CreatedFrom: query.CreatedFrom,
            CreatedTo: query.CreatedTo,
            Statuses: query.Statuses?.Select(status => (OrchestrationRuntimeStatus)(int)status).ToList(),
            InstanceIdPrefix: query.InstanceIdPrefix,
            PageSize: query.PageSize,
            FetchInputsAndOutputs: query.FetchInputsAndOutputs,
            ContinuationToken: query.ContinuationToken);
        await foreach (var page in Client.GetAllInstancesAsync(filter).AsPages(query.ContinuationToken, query.PageSize).WithCancellation(cancellationToken))
        {
            return new Neutral.OrchestrationPage([.. page.Values.Select(ToNeutral)], page.ContinuationToken);
        }

        return new Neutral.OrchestrationPage([], null);
    }

    public Task TerminateInstanceAsync(string instanceId, object? output = null, CancellationToken cancellationToken = default) =>
        Client.TerminateInstanceAsync(instanceId, output, cancellationToken);

    public async Task<Neutral.PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        new((await Client.PurgeInstanceAsync(instanceId, cancellationToken)).PurgedInstanceCount);

    /// <summary>Durable Task purges by filter without a bound; a <see cref="Neutral.PurgeInstancesFilter.Limit"/> purges one page of matches instead.</summary>
    public async Task<Neutral.PurgeResult> PurgeAllInstancesAsync(Neutral.PurgeInstancesFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = filter.Statuses?.Select(status => (OrchestrationRuntimeStatus)(int)status).ToList();
        if (filter.Limit is not { } limit)
        {
            var all = await Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(filter.CreatedFrom, filter.CreatedTo, statuses), cancellationToken);
            return new(all.PurgedInstanceCount);
        }

        var page = await QueryInstancesAsync(
            new Neutral.OrchestrationQuery { CreatedFrom = filter.CreatedFrom, CreatedTo = filter.CreatedTo, Statuses = filter.Statuses, PageSize = limit },
            cancellationToken);
        var purged = 0;
        foreach (var instance in page.Instances)
        {
            purged += (await PurgeInstanceAsync(instance.InstanceId, cancellationToken)).PurgedInstanceCount;
        }

        return new(purged);
    }

    public async Task<Neutral.OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default) =>
        ToNeutral(await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellationToken));

    /// <remarks>The runtime status enums are mirrors, value for value. Durable Task keeps no completion time: a finished instance was last updated when it finished.</remarks>
    private static Neutral.OrchestrationMetadata ToNeutral(OrchestrationMetadata instance) => new(instance.Name, instance.InstanceId)
    {
        RuntimeStatus = (Neutral.OrchestrationRuntimeStatus)(int)instance.RuntimeStatus,
        CreatedAt = instance.CreatedAt,
        LastUpdatedAt = instance.LastUpdatedAt,
        CompletedAt = instance.IsCompleted ? instance.LastUpdatedAt : null,
        SerializedInput = instance.SerializedInput,
        SerializedOutput = instance.SerializedOutput,
        SerializedCustomStatus = instance.SerializedCustomStatus,
        FailureDetails = instance.FailureDetails is { } failure ? new Neutral.FailureDetails(failure.ErrorType, failure.ErrorMessage) : null,
    };
}
