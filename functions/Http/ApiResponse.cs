using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Workforce.Functions.Realtime;

namespace Workforce.Functions.Http;

/// <summary>
/// What an API function returns: its HTTP response, which the shared handler has already written, and the live
/// updates of what the request changed, for Azure SignalR Service.
/// </summary>
public sealed class ApiResponse(SignalRMessageAction[]? liveUpdates)
{
    [HttpResult]
    public IActionResult Response { get; } = new EmptyResult();

    [SignalROutput(HubName = LiveUpdates.HubName, ConnectionStringSetting = Settings.SignalR)]
    public SignalRMessageAction[]? Updates { get; } = liveUpdates;
}
