using Workforce.Api.Operations;
using Workforce.Core;

namespace Workforce.Server.Operations;

internal static class OperationsApi
{
    /// <summary>What runs behind the tasks: their lifecycle orchestrations and the work queues, for the caller's tenant.</summary>
    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder api)
    {
        var operations = api.MapGroup("").WithTags("Operations");
        operations.MapGet(ApiRoutes.Orchestrations, OperationsEndpoints.ListOrchestrationsAsync)
            .WithSummary("List orchestrations")
            .WithDescription("The tenant's task lifecycle orchestrations, oldest first. Filter by status and by type (orchestrator name).");
        operations.MapGet(ApiRoutes.Orchestration, OperationsEndpoints.GetOrchestrationAsync)
            .WithSummary("Get an orchestration with its status, custom status, input and output");
        operations.MapGet(ApiRoutes.Queues, OperationsEndpoints.GetQueuesAsync)
            .WithSummary("Count the messages of each work queue (active, scheduled, dead-lettered)");
        return api;
    }
}
