using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Workforce.Core;
using Workforce.Testing;
using Workforce.Testing.PayPal;

namespace Workforce.Server.Tests.Billing;

/// <summary>
/// The real server, billing online against the fake PayPal with three-second billing periods, killed with SIGKILL
/// while PayPal has made a capture whose answer has not come back: after the restart every invoice is charged once.
/// </summary>
public sealed class BillingCrashTests : IDisposable
{
    private const string Key = "billing-crash-key";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "workforce-billing-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_hard_kill_while_a_capture_is_in_flight_charges_each_invoice_exactly_once_after_the_restart()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var payPal = await FakePayPal.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["WORKFORCE_DATA_DIR"] = _dataDirectory,
            ["WORKFORCE_BOOTSTRAP_API_KEY"] = Key,
            ["Workforce__RateLimit__KeyPermitsPerMinute"] = "0",
            ["Workforce__Billing__PeriodLength"] = "00:00:03",
            ["Workforce__Billing__GracePeriod"] = "00:00:00",
            // One task per period is included; each one more costs a dollar, so most invoices have overage to capture.
            ["Workforce__Billing__Plans__professional__Tasks"] = "1",
            ["Workforce__Billing__Plans__professional__PerThousandTasks"] = "1000",
            ["Workforce__Billing__PayPal__BaseUrl"] = payPal.BaseAddress.AbsoluteUri,
            ["Workforce__Billing__PayPal__ClientId"] = FakePayPal.ClientId,
            ["Workforce__Billing__PayPal__ClientSecret"] = FakePayPal.ClientSecret,
            ["Workforce__Billing__PayPal__WebhookId"] = FakePayPal.WebhookId,
        };

        await using (var server = await ServerProcess.StartAsync(environment, cancellation))
        {
            // The first capture is made at PayPal, and its answer held back until long after the kill.
            payPal.Faults.DelayAnswerAfterProcessing(TimeSpan.FromSeconds(30), "/capture");
            using var tenant = server.CreateClient(Key);
            await SubscribeThroughPayPalAsync(server, tenant, payPal);
            await Read(await tenant.PutAsJsonAsync("/api/v1/subscription", new { overage = "allow", overageCapPercent = 1_000 }, cancellation));
            using var submitting = new CancellationTokenSource();
            var submitter = SubmitEverySecondAsync(tenant, submitting.Token);
            await Eventually(() => Task.FromResult(Captures(payPal).Count > 0), "a capture was made", TimeSpan.FromSeconds(60));
            await server.KillAsync();
            await submitting.CancelAsync();
            await submitter;
        }

        var capturedAtKill = Assert.Single(Captures(payPal));
        await using var restarted = await ServerProcess.StartAsync(environment, cancellation);
        using var client = restarted.CreateClient(Key);
        using (var submitting = new CancellationTokenSource())
        {
            var submitter = SubmitEverySecondAsync(client, submitting.Token);
            await Eventually(async () => (await InvoicesAsync(client)).Count(i => i["status"]!.GetValue<string>() == "paid") >= 6, "six invoices paid", TimeSpan.FromSeconds(90));
            await submitting.CancelAsync();
            await submitter;
        }

        // Periods keep closing every 3 s after the submissions stop, so the newest invoice may always be in flight:
        // what must end settled is every invoice issued by now.
        var issued = (await InvoicesAsync(client)).Select(i => i["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var unpaid = new List<JsonObject>();
        await Eventually(async () =>
        {
            unpaid = [.. (await InvoicesAsync(client)).Where(i => issued.Contains(i["id"]!.GetValue<string>()) && !Settled(i))];
            return unpaid.Count == 0;
        }, () => "every invoice issued when the submissions stopped settled; still not: " + string.Join("; ", unpaid.Select(i => i.ToJsonString())), TimeSpan.FromSeconds(90));
        var invoices = (await InvoicesAsync(client)).Where(i => issued.Contains(i["id"]!.GetValue<string>())).ToList();
        var captures = Captures(payPal);
        foreach (var invoice in invoices)
        {
            var id = invoice["id"]!.GetValue<string>();
            var beyondFee = invoice["lines"]!.AsArray().Where(l => l!["kind"]!.GetValue<string>() != "plan_fee").Sum(l => l!["amount"]!.GetValue<decimal>());
            var charged = captures.Where(c => c.RequestId!.StartsWith($"{id}-attempt-", StringComparison.Ordinal)).ToList();
            Assert.True(charged.Count == (beyondFee > 0 ? 1 : 0), $"Invoice {id} ({beyondFee} beyond the fee) was captured {charged.Count} times.");
            Assert.Equal(beyondFee, charged.Sum(c => c.Amount));
        }

        // The capture in flight at the kill is the one its invoice records: the replay got PayPal's first answer back.
        var interrupted = invoices.Single(i => capturedAtKill.RequestId!.StartsWith($"{i["id"]!.GetValue<string>()}-attempt-", StringComparison.Ordinal));
        Assert.Equal(capturedAtKill.CaptureId, interrupted["attempts"]!.AsArray().Single(a => a!["succeeded"]!.GetValue<bool>())!["paymentId"]!.GetValue<string>());
        Assert.Contains(invoices, i => i["lines"]!.AsArray().Any(l => l!["kind"]!.GetValue<string>() == "overage"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static List<FakePayPalCharge> Captures(FakePayPal payPal) => [.. payPal.Charges.Where(c => c.Kind == "capture")];

    /// <summary>Checks out Professional, approves it at PayPal and delivers the activation, as a tenant and PayPal would.</summary>
    private static async Task SubscribeThroughPayPalAsync(ServerProcess server, HttpClient tenant, FakePayPal payPal)
    {
        var checkout = await Read(await tenant.PostAsJsonAsync("/api/v1/subscription/checkout", new { plan = "professional" }));
        var subscriptionId = checkout["subscriptionId"]!.GetValue<string>();
        payPal.Approve(subscriptionId);
        var activated = payPal.Events.Last(e => e.EventType == "BILLING.SUBSCRIPTION.ACTIVATED" && e.ResourceId == subscriptionId);
        await payPal.DeliverAsync(new Uri(server.Address, $"{ApiRoutes.Prefix}/{ApiRoutes.PayPalWebhook}"), activated);
        await Eventually(async () => (await Read(await tenant.GetAsync(new Uri("/api/v1/subscription", UriKind.Relative))))["payment"] is not null,
            "the payment account taken on", TimeSpan.FromSeconds(30));
    }

    /// <summary>Two tasks a second, so that most periods go one or more tasks beyond the one included; refusals and a dead server are ignored.</summary>
    private static Task SubmitEverySecondAsync(HttpClient tenant, CancellationToken stop) => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                for (var i = 0; i < 2; i++)
                {
                    using var _ = await tenant.PostAsJsonAsync("/api/v1/tasks", new { type = "billed" }, stop);
                }

                await Task.Delay(1_000, stop);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // The server was killed, or the test is done submitting.
            }
        }
    }, CancellationToken.None);

    /// <summary>Paid, or nothing to charge: the free plan's periods before the subscription, which a slow start can close.</summary>
    private static bool Settled(JsonObject invoice) => invoice["status"]!.GetValue<string>() switch
    {
        "paid" => true,
        "not_charged" => invoice["total"]!.GetValue<decimal>() == 0,
        _ => false,
    };

    private static async Task<List<JsonObject>> InvoicesAsync(HttpClient client) =>
        [.. (await Read(await client.GetAsync(new Uri("/api/v1/invoices", UriKind.Relative))))["items"]!.AsArray().Select(i => i!.AsObject())];

    private static async Task<JsonObject> Read(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static Task Eventually(Func<Task<bool>> condition, string what, TimeSpan within) => Eventually(condition, () => what, within);

    private static async Task Eventually(Func<Task<bool>> condition, Func<string> what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within {within.TotalSeconds} s: {what()}.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
