using Workforce.Payments.PayPal;

namespace Workforce.Payments.Tests;

public sealed class CatalogTests
{
    [Fact]
    public async Task Ensuring_the_product_and_plan_twice_creates_each_once()
    {
        await using var paypal = await PayPalHarness.StartAsync();

        var first = await paypal.PlanAsync();
        var second = await paypal.PlanAsync();

        Assert.Equal(first.Id, second.Id);
        Assert.Single(paypal.Fake.Requests, r => r.Method == "POST" && r.PathAndQuery == "v1/catalogs/products");
        Assert.Single(paypal.Fake.Requests, r => r.Method == "POST" && r.PathAndQuery == "v1/billing/plans");
        Assert.All(paypal.Fake.Requests.Where(r => r.Method == "POST" && r.PathAndQuery != "v1/oauth2/token"), r => Assert.NotNull(r.RequestId));
    }

    [Fact]
    public async Task A_plan_reads_back_with_its_price_and_interval()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var plan = await paypal.PlanAsync();

        var listed = Assert.Single(await paypal.Client.ListPlansAsync(plan.ProductId));

        Assert.StartsWith("P-", listed.Id, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", listed.Status);
        Assert.Equal(new PayPalMoney("USD", 49.00m), listed.Price);
        Assert.Equal(PayPalBillingInterval.Months(1), listed.Interval);
    }

    [Fact]
    public async Task A_plan_at_another_price_is_a_new_plan()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        var plan = await paypal.PlanAsync();

        var dearer = await paypal.Client.EnsurePlanAsync(new PayPalPlanDefinition(plan.ProductId, "Pro monthly", new PayPalMoney("USD", 59m), PayPalBillingInterval.Months(1)));

        Assert.NotEqual(plan.Id, dearer.Id);
        Assert.Equal(2, (await paypal.Client.ListPlansAsync(plan.ProductId)).Count);
    }
}
