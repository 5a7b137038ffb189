namespace Workforce.Core.Plans;

/// <summary>The plans tenants can subscribe to, as configured.</summary>
public sealed class PlanCatalogue(BillingOptions options)
{
    private readonly Dictionary<string, Plan> _plans = options.Plans.ToDictionary(
        p => p.Key.ToLowerInvariant(), p => p.Value.ToPlan(p.Key.ToLowerInvariant(), options.Currency), StringComparer.OrdinalIgnoreCase);

    public string Currency => options.Currency;

    /// <summary>Whether quotas are checked at all (<see cref="BillingOptions.Metering"/>).</summary>
    public bool Enforced => options.Metering;

    public IReadOnlyCollection<Plan> All => _plans.Values;

    public Plan? Find(string? id) => id is not null && _plans.TryGetValue(id, out var plan) ? plan : null;

    public Plan Get(string id) => Find(id) ?? throw new InvalidOperationException($"The plan '{id}' is not in the catalogue.");
}
