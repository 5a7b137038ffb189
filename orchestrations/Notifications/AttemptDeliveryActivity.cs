using Microsoft.DurableTask;
using Workforce.Core.Notifications;

namespace Workforce.Orchestrations.Notifications;

public sealed class AttemptDeliveryActivity(AttemptDelivery attempt) : TaskActivity<DeliveryAttemptInput, DeliveryStep>
{
    public override Task<DeliveryStep> RunAsync(TaskActivityContext context, DeliveryAttemptInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return attempt.ExecuteAsync(input.TenantId, input.DeliveryId, input.Attempt);
    }
}
