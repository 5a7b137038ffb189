using Microsoft.AspNetCore.SignalR;
using Workforce.Api.Auth;

namespace Workforce.Server.Realtime;

/// <summary>
/// The live-updates hub. A connection joins its tenant's group and receives that tenant's events only; it has
/// nothing to call, because everything it may change goes through the HTTP API.
/// </summary>
internal sealed class WorkforceHub(LiveActivity activity) : Hub
{
    private const string TenantItem = "tenant";

    public static string GroupOf(string tenantId) => "tenant:" + tenantId;

    public override async Task OnConnectedAsync()
    {
        var tenantId = Context.User!.Caller().TenantId;
        Context.Items[TenantItem] = tenantId;
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(tenantId));
        activity.Of(tenantId).Watch();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items[TenantItem] is string tenantId)
        {
            activity.Of(tenantId).Unwatch();
        }

        return Task.CompletedTask;
    }
}
