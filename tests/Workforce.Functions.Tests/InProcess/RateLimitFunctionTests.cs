extern alias FunctionsApp;

using System.Globalization;
using System.Net;
using FunctionsApp::Workforce.Functions;
using FunctionsApp::Workforce.Functions.Tasks;
using FunctionsApp::Workforce.Functions.Usage;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>The server's rate limits in every HTTP function: per key, and per client IP for requests without a valid key.</summary>
public sealed class RateLimitFunctionTests
{
    private static readonly IPAddress Stranger = IPAddress.Parse("198.51.100.7");

    [Fact]
    public async Task Authenticated_requests_are_limited_per_key()
    {
        await using var app = await FunctionsApp.StartAsync(settings: new Dictionary<string, string?> { ["Workforce:RateLimit:KeyPermitsPerMinute"] = "2" });
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        var other = await TaskLifecycleFunctionTests.TenantAsync(app, "other");
        for (var i = 0; i < 2; i++)
        {
            (await UsageAsync(app, FunctionRequest.Get("v1/usage", tenant.Key))).Expect(HttpStatusCode.OK);
        }

        var limited = await UsageAsync(app, FunctionRequest.Get("v1/usage", tenant.Key));

        limited.Problem(HttpStatusCode.TooManyRequests);
        AssertRetryAfter(limited);
        (await UsageAsync(app, FunctionRequest.Get("v1/usage", other.Key))).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_limited_per_client_ip()
    {
        await using var app = await FunctionsApp.StartAsync(settings: new Dictionary<string, string?> { ["Workforce:RateLimit:PermitsPerMinute"] = "3" });
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);
        var guess = FunctionRequest.Get("v1/usage", "wfk_guessing") with { ClientIp = Stranger };
        (await UsageAsync(app, guess)).Problem(HttpStatusCode.Unauthorized);
        (await UsageAsync(app, guess with { Headers = new Dictionary<string, string>() })).Problem(HttpStatusCode.Unauthorized);
        (await app.HttpAsync<TaskFunctions>(nameof(TaskFunctions.SubmitTask), FunctionRequest.Post("v1/tasks", "wfk_guessing", new { type = "x" }) with { ClientIp = Stranger }))
            .Problem(HttpStatusCode.Unauthorized);

        var limited = await UsageAsync(app, guess);

        limited.Problem(HttpStatusCode.TooManyRequests);
        AssertRetryAfter(limited);
        (await UsageAsync(app, guess with { ClientIp = IPAddress.Parse("198.51.100.8") })).Problem(HttpStatusCode.Unauthorized);
        (await UsageAsync(app, FunctionRequest.Get("v1/usage", tenant.Key) with { ClientIp = Stranger })).Expect(HttpStatusCode.OK);
        (await app.HttpAsync<HealthFunction>(nameof(HealthFunction.CheckHealth), FunctionRequest.Get("health") with { ClientIp = Stranger }))
            .Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_limit_of_zero_is_no_limit()
    {
        await using var app = await FunctionsApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Workforce:RateLimit:PermitsPerMinute"] = "1",
            ["Workforce:RateLimit:KeyPermitsPerMinute"] = "0",
        });
        var tenant = await TaskLifecycleFunctionTests.TenantAsync(app);

        for (var i = 0; i < 5; i++)
        {
            (await UsageAsync(app, FunctionRequest.Get("v1/usage", tenant.Key))).Expect(HttpStatusCode.OK);
        }

        (await UsageAsync(app, FunctionRequest.Get("v1/usage"))).Problem(HttpStatusCode.Unauthorized);
        (await UsageAsync(app, FunctionRequest.Get("v1/usage"))).Problem(HttpStatusCode.TooManyRequests);
    }

    private static void AssertRetryAfter(FunctionResponse limited) =>
        Assert.True(int.TryParse(limited.Headers.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0, $"Retry-After: '{limited.Headers.RetryAfter}'");

    private static Task<FunctionResponse> UsageAsync(FunctionsApp app, FunctionRequest request) =>
        app.HttpAsync<UsageFunctions>(nameof(UsageFunctions.GetUsage), request);
}
