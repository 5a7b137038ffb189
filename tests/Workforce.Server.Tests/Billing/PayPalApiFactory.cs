using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workforce.Core;
using Workforce.Testing.PayPal;

namespace Workforce.Server.Tests.Billing;

/// <summary>
/// The server on a loopback port (the fake PayPal delivers its webhooks over HTTP), its billing pointed at a fake PayPal
/// with the fake's credentials: billing online.
/// </summary>
public sealed class PayPalApiFactory : WorkforceApiFactory
{
    private PayPalApiFactory(FakePayPal payPal, IDictionary<string, string?> settings)
        : base(TestStorage.Sqlite, new Dictionary<string, string?>(settings)
        {
            ["Workforce:Billing:PayPal:BaseUrl"] = payPal.BaseAddress.AbsoluteUri,
            ["Workforce:Billing:PayPal:ClientId"] = FakePayPal.ClientId,
            ["Workforce:Billing:PayPal:ClientSecret"] = FakePayPal.ClientSecret,
            ["Workforce:Billing:PayPal:WebhookId"] = FakePayPal.WebhookId,
            ["Workforce:Billing:PayPal:RetryDelay"] = "00:00:00.010",
        })
    {
        PayPal = payPal;
        UseKestrel(0);
    }

    public FakePayPal PayPal { get; }

    public Uri Webhook { get; private set; } = null!;

    /// <param name="settings">Further configuration, such as short billing periods.</param>
    public static async Task<PayPalApiFactory> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var factory = new PayPalApiFactory(await FakePayPal.StartAsync(), settings ?? new Dictionary<string, string?>());
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        factory.Webhook = new Uri($"{address.TrimEnd('/')}/{ApiRoutes.Prefix}/{ApiRoutes.PayPalWebhook}");
        return factory;
    }

    /// <summary>Delivers the event and waits until its processing finished.</summary>
    public async Task<FakePayPalDelivery> DeliverAndProcessAsync(FakePayPalEvent webhookEvent)
    {
        var delivery = await PayPal.DeliverAsync(Webhook, webhookEvent);
        var durable = Services.GetRequiredService<DurableTaskClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var instance = await durable.WaitForInstanceCompletionAsync($"payment-event-paypal-{webhookEvent.Id}", getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return delivery;
    }

    public FakePayPalEvent Event(string eventType, string resourceId) =>
        PayPal.Events.Last(e => e.EventType == eventType && e.ResourceId == resourceId);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await PayPal.DisposeAsync();
    }
}
