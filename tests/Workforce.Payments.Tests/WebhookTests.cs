using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workforce.Payments.PayPal;
using Workforce.Testing.PayPal;

namespace Workforce.Payments.Tests;

public sealed class WebhookTests
{
    [Fact]
    public async Task A_delivery_PayPal_sent_verifies_as_genuine()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        await using var listener = await Listener.StartAsync(paypal.Client);
        await paypal.ActiveSubscriptionAsync();
        var activated = paypal.Fake.Events.Single(e => e.EventType == "BILLING.SUBSCRIPTION.ACTIVATED");

        var delivery = await paypal.Fake.DeliverAsync(listener.Url, activated, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(200, delivery.ListenerStatus);
        Assert.Equal((activated.Id, PayPalWebhookVerification.Success), Assert.Single(listener.Verdicts));
        var verification = Assert.Single(paypal.Fake.Requests, r => r.PathAndQuery == "v1/notifications/verify-webhook-signature");
        Assert.NotNull(verification.RequestId);
    }

    [Theory]
    [InlineData(FakeWebhookTampering.Body)]
    [InlineData(FakeWebhookTampering.Signature)]
    public async Task A_delivery_changed_on_the_way_fails_verification(FakeWebhookTampering tampering)
    {
        await using var paypal = await PayPalHarness.StartAsync();
        await using var listener = await Listener.StartAsync(paypal.Client);
        await paypal.ActiveSubscriptionAsync();
        var completed = paypal.Fake.Events.First(e => e.EventType == "PAYMENT.SALE.COMPLETED");

        var delivery = await paypal.Fake.DeliverAsync(listener.Url, completed, tampering, TestContext.Current.CancellationToken);

        Assert.Equal(400, delivery.ListenerStatus);
        Assert.Equal(PayPalWebhookVerification.Failure, Assert.Single(listener.Verdicts).Verdict);
    }

    [Fact]
    public async Task A_forged_delivery_PayPal_never_sent_fails_verification()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        await paypal.ActiveSubscriptionAsync();
        var genuine = paypal.Fake.Events[0];
        var forged = new PayPalWebhookDelivery(Guid.NewGuid().ToString(), "2026-01-01T00:00:00Z", Convert.ToBase64String(new byte[256]), paypal.Fake.CertUrl, "SHA256withRSA", genuine.Body);

        Assert.Equal(PayPalWebhookVerification.Failure, await paypal.Client.VerifyWebhookSignatureAsync(forged, TestContext.Current.CancellationToken));
        Assert.Equal(PayPalWebhookVerification.Failure, await paypal.Client.VerifyWebhookSignatureAsync(forged with { Body = "not json" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Duplicate_and_out_of_order_deliveries_each_verify_and_keep_their_event_ids()
    {
        await using var paypal = await PayPalHarness.StartAsync();
        await using var listener = await Listener.StartAsync(paypal.Client);
        var subscription = await paypal.ActiveSubscriptionAsync();
        await paypal.Client.SuspendSubscriptionAsync(subscription.Id, "Overdue", "suspend-1");
        await paypal.Client.CancelSubscriptionAsync(subscription.Id, "Left", "cancel-1");
        var lifecycle = paypal.Fake.Events.Where(e => e.EventType.StartsWith("BILLING.SUBSCRIPTION.", StringComparison.Ordinal)).ToList();
        var cancelled = lifecycle.Single(e => e.EventType == "BILLING.SUBSCRIPTION.CANCELLED");

        // Newest first, and the last one twice: as PayPal may deliver them.
        await paypal.Fake.DeliverAsync(listener.Url, [.. Enumerable.Reverse(lifecycle), cancelled], TestContext.Current.CancellationToken);

        Assert.Equal([.. Enumerable.Reverse(lifecycle).Select(e => e.Id), cancelled.Id], listener.Verdicts.Select(v => v.EventId));
        Assert.All(listener.Verdicts, v => Assert.Equal(PayPalWebhookVerification.Success, v.Verdict));
        Assert.Equal(2, paypal.Fake.Deliveries.Count(d => d.Event.Id == cancelled.Id));
    }

    /// <summary>A webhook endpoint as billing will have it: verify each delivery with PayPal, 400 when it is not genuine.</summary>
    private sealed class Listener : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Listener(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public ConcurrentQueue<(string EventId, PayPalWebhookVerification Verdict)> Verdicts { get; } = new();

        public static async Task<Listener> StartAsync(IPayPalClient client)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var listener = new Listener(app);
            app.MapPost("/webhook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync();
                var delivery = PayPalWebhookDelivery.FromHeaders(name => request.Headers[name].FirstOrDefault(), body);
                var verdict = delivery is null ? PayPalWebhookVerification.Failure : await client.VerifyWebhookSignatureAsync(delivery);
                var eventId = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
                listener.Verdicts.Enqueue((eventId, verdict));
                return verdict == PayPalWebhookVerification.Success ? Results.Ok() : Results.BadRequest();
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            listener.Url = new Uri(address.TrimEnd('/') + "/webhook");
            return listener;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
