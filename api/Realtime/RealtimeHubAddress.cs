namespace Workforce.Api.Realtime;

/// <summary>
/// Where a tenant's clients connect for live updates: the standalone server's own hub, or, in Azure, the Functions
/// app's negotiate endpoint in front of Azure SignalR Service. <c>{tenant}</c> in the template stands for the tenant id.
/// </summary>
public sealed record RealtimeHubAddress(string Template)
{
    public string For(string tenantId) => Template.Replace("{tenant}", Uri.EscapeDataString(tenantId), StringComparison.Ordinal);
}
