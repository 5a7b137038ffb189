namespace Workforce.Core.Subscriptions;

public enum SubscriptionStatus
{
    Active,

    /// <summary>A charge failed and is being retried; work goes on meanwhile.</summary>
    PastDue,

    /// <summary>Payment did not come in time: every quota is zero until it does; reads and billing stay open.</summary>
    Suspended,

    /// <summary>Ends at the period's end, when the tenant returns to the Free plan.</summary>
    Cancelled,
}

/// <summary>What happens at a limit: <see cref="Block"/> refuses more work; <see cref="Allow"/> bills overage up to a cap.</summary>
public enum OveragePolicy
{
    Block,
    Allow,
}
