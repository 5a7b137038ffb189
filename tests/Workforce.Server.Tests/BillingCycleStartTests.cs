using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Core.Tenants;
using Workforce.Orchestrations.BillingCycle;

namespace Workforce.Server.Tests;

public sealed class BillingCycleStartTests(WorkforceApiFactory factory) : IClassFixture<WorkforceApiFactory>
{
    [Fact]
    public async Task A_tenant_without_a_billing_cycle_gets_one_at_its_first_call()
    {
        // As a tenant created before billing cycles existed: straight into the directory, no cycle started.
        var tenant = new Tenant(Guid.NewGuid().ToString("N"), "older", DateTimeOffset.UtcNow.AddDays(-40));
        await factory.Services.GetRequiredService<ITenantDirectory>().TryCreateTenantAsync(tenant, ApiKeys.Hash("older-tenant-key"));
        var durable = factory.Services.GetRequiredService<DurableTaskClient>();
        Assert.Null(await durable.GetInstanceAsync(BillingCycleOrchestrator.InstanceId(tenant.Id)));

        using var client = factory.Client("older-tenant-key");
        await WorkforceClient.ReadAsync(await client.GetAsync("/api/v1/tasks"));

        var cycle = await durable.GetInstanceAsync(BillingCycleOrchestrator.InstanceId(tenant.Id));
        Assert.NotNull(cycle);
        Assert.Contains(cycle.RuntimeStatus, new[] { OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running });
    }
}
