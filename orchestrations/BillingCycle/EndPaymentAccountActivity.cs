using Microsoft.DurableTask;
using Workforce.Core.Billing;

namespace Workforce.Orchestrations.BillingCycle;

public sealed class EndPaymentAccountActivity(EndPaymentAccount endAccount) : TaskActivity<EndedAccount, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, EndedAccount input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return endAccount.ExecuteAsync(input.TenantId, input.Account);
    }
}
