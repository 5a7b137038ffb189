using Microsoft.DurableTask;
using Workforce.Core.Analytics;
using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Orchestrations.Analytics;

/// <summary>Samples the levels of one page of tenants; a sample repeated within the minute counts once.</summary>
public sealed class SampleTenantGaugesActivity(ITenantDirectory tenants, SampleTenantGauges sample) : TaskActivity<TenantPage, SampledPage>
{
    public override async Task<SampledPage> RunAsync(TaskActivityContext context, TenantPage input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var page = await tenants.ListTenantIdsAsync(new PageRequest(input.Limit, input.Cursor));
        foreach (var tenantId in page.Items)
        {
            await sample.ExecuteAsync(tenantId);
        }

        return new SampledPage(page.Items.Count, page.NextCursor);
    }
}
