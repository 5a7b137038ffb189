using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Workforce.Payments.PayPal;
using Workforce.Testing.PayPal;

namespace Workforce.Payments.Tests;

/// <summary>A fake PayPal and a client built the way a host builds it (<see cref="PayPalServices.AddPayPal"/>), pointed at it.</summary>
internal sealed class PayPalHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private PayPalHarness(FakePayPal fake, ServiceProvider services)
    {
        Fake = fake;
        _services = services;
        Client = services.GetRequiredService<IPayPalClient>();
    }

    public FakePayPal Fake { get; }

    public IPayPalClient Client { get; }

    public LogRecorder Logs { get; } = new();

    public static async Task<PayPalHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null, bool credentials = true, TimeProvider? time = null)
    {
        var fake = await FakePayPal.StartAsync(time);
        var settings = new Dictionary<string, string?>
        {
            [$"{PayPalOptions.Section}:BaseUrl"] = fake.BaseAddress.AbsoluteUri,
            [$"{PayPalOptions.Section}:ClientId"] = credentials ? FakePayPal.ClientId : null,
            [$"{PayPalOptions.Section}:ClientSecret"] = credentials ? FakePayPal.ClientSecret : null,
            [$"{PayPalOptions.Section}:WebhookId"] = FakePayPal.WebhookId,
            [$"{PayPalOptions.Section}:RetryDelay"] = "00:00:00.010",
            [$"{PayPalOptions.Section}:RequestTimeout"] = "00:00:05",
            [$"{PayPalOptions.Section}:TotalTimeout"] = "00:00:30",
        };
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogRecorder();
        var collection = new ServiceCollection();
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        var services = collection
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddPayPal(configuration)
            .BuildServiceProvider();
        // What ValidateOnStart would do in a host.
        _ = services.GetRequiredService<IOptions<PayPalOptions>>().Value;
        var harness = new PayPalHarness(fake, services);
        harness.Logs.Take(logs);
        return harness;
    }

    public static IReadOnlyList<string> ValidationErrors(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddPayPal(configuration).BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<PayPalOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
    }

    /// <summary>A product, a plan of 49.00 USD a month, and a subscription the payer has approved (its first cycle charged).</summary>
    public async Task<PayPalSubscription> ActiveSubscriptionAsync(string tenant = "tenant-1")
    {
        var plan = await PlanAsync();
        var created = await Client.CreateSubscriptionAsync(
            new PayPalSubscriptionRequest(plan.Id, tenant, new Uri("https://workforce.example/billing/return"), new Uri("https://workforce.example/billing/cancel")),
            requestId: $"checkout-{tenant}");
        Fake.Approve(created.Id);
        return await Client.GetSubscriptionAsync(created.Id);
    }

    public async Task<PayPalPlan> PlanAsync()
    {
        var product = await Client.EnsureProductAsync(new PayPalProductDefinition("WORKFORCE-PLATFORM", "Workforce platform"));
        return await Client.EnsurePlanAsync(new PayPalPlanDefinition(product.Id, "Pro monthly", new PayPalMoney("USD", 49.00m), PayPalBillingInterval.Months(1)));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>Every log line the client wrote, with its structured values, to assert on what is (and is not) logged.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    private LogRecorder? _source;

    public ConcurrentQueue<(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values)> Entries { get; } = new();

    public IEnumerable<(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values)> All => _source?.Entries ?? Entries;

    public void Take(LogRecorder source) => _source = source;

    public ILogger CreateLogger(string categoryName) => new Recording(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recording(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Entries.Enqueue((category, logLevel, formatter(state, exception) + " " + exception, state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}
