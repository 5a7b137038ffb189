extern alias FunctionsApp;

using System.Reflection;
using System.Security.Cryptography;
using Azure.Messaging.ServiceBus;
using FunctionsApp::Workforce.Functions;
using FunctionsApp::Workforce.Functions.Http;
using FunctionsApp::Workforce.Functions.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Workforce.Core.Notifications;
using Workforce.Core.Reports;
using Workforce.Core.Tasks;
using Workforce.Functions.Tests.Queues;
using Workforce.Orchestrations;
using Workforce.Orchestrations.Analytics;
using Workforce.Orchestrations.BillingCycle;
using Workforce.Orchestrations.Cleanup;
using Workforce.Core.Forecasting;
using Workforce.Orchestrations.Forecasting;
using Workforce.Orchestrations.Notifications;
using Workforce.Orchestrations.Reports;
using Workforce.Orchestrations.TaskLifecycle;
using Workforce.Testing;
using Workforce.Testing.Durable;

namespace Workforce.Functions.Tests.InProcess;

/// <summary>
/// The Functions app without the Functions host: the services functions/Program.cs composes
/// (<c>AddWorkforceFunctions</c>) on a storage account of its own in the tests' Azurite, with Service Bus in memory
/// (<see cref="InMemoryServiceBus"/>), and Durable Task's own engine (its in-process test host) running the app's
/// orchestrator and activity functions. Each invocation is run as the worker runs it: a scope of its own, the Durable
/// client bound into it as <c>DurableClientBinding</c> binds it, the function's class created from that scope, and an
/// HTTP function given a real <see cref="HttpRequest"/> whose route values are matched from its route template.
/// </summary>
public sealed class FunctionsApp : IAsyncDisposable
{
    public const string AdminKey = "functions-tests-admin-key";

    private readonly string _resourcePrefix;
    private readonly List<IHostedService> _hosted = [];
    private ServiceProvider _services = null!;
    private WorkflowEngine _engine = null!;

    private FunctionsApp(string resourcePrefix, TimeProvider clock)
    {
        _resourcePrefix = resourcePrefix;
        Clock = clock;
    }

    public InMemoryServiceBus Bus { get; } = new();

    /// <summary>The platform's clock: the system's, or a <see cref="FakeTimeProvider"/> the test moves.</summary>
    public TimeProvider Clock { get; }

    public FakeTimeProvider FakeClock => Clock as FakeTimeProvider ?? throw new InvalidOperationException("This app runs on the system clock.");

    /// <summary>Durable Task's engine; its client is the one every invocation binds.</summary>
    public WorkflowEngine Engine => _engine;

    public DurableTaskClient Durable => _engine.Client;

    public IServiceProvider Services => _services;

    /// <param name="fakeClock">Whether the platform's clock stands still until the test moves it (the engine's timers still run in real time).</param>
    /// <param name="settings">App settings on top of the tests' own.</param>
    public static async Task<FunctionsApp> StartAsync(bool fakeClock = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new FunctionsApp(Azurite.NewResourcePrefix(), fakeClock ? new FakeTimeProvider(DateTimeOffset.UtcNow) : TimeProvider.System);
        try
        {
            await app.StartAsync(settings ?? new Dictionary<string, string?>());
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Runs a function of <typeparamref name="TFunctions"/> in an invocation of its own, bound to the engine's client unless another is given.</summary>
    public async Task<TResult> InvokeAsync<TFunctions, TResult>(Func<TFunctions, DurableTaskClient, Task<TResult>> function, DurableTaskClient? durable = null)
        where TFunctions : class
    {
        ArgumentNullException.ThrowIfNull(function);
        await using var scope = _services.CreateAsyncScope();
        var client = Bind(scope.ServiceProvider, durable);
        return await function(ActivatorUtilities.CreateInstance<TFunctions>(scope.ServiceProvider), client);
    }

    public Task InvokeAsync<TFunctions>(Func<TFunctions, DurableTaskClient, Task> function, DurableTaskClient? durable = null)
        where TFunctions : class =>
        InvokeAsync<TFunctions, bool>(async (functions, client) =>
        {
            await function(functions, client);
            return true;
        }, durable);

    /// <summary>Calls an HTTP function by name with the request, as the worker would after matching the request to its route.</summary>
    public Task<FunctionResponse> HttpAsync<TFunctions>(string function, FunctionRequest request)
        where TFunctions : class =>
        HttpAsync(HttpFunction.Of(typeof(TFunctions), function), request);

    public async Task<FunctionResponse> HttpAsync(HttpFunction function, FunctionRequest request)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(request);
        await using var scope = _services.CreateAsyncScope();
        var client = Bind(scope.ServiceProvider, durable: null);
        var context = HttpContextFor(function, request, scope.ServiceProvider);
        var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Class);
        var result = (ApiResponse)await ((Task<ApiResponse>)function.Method.Invoke(instance, [context.Request, client])!);
        return await FunctionResponse.ReadAsync(context.Response, result.Updates);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in Enumerable.Reverse(_hosted))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await Azurite.DeleteResourcesAsync(_resourcePrefix, []);
    }

    private async Task StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{Settings.Storage}:ConnectionString"] = Azurite.ConnectionString,
                [$"{Settings.Storage}:ResourcePrefix"] = _resourcePrefix,
                [$"{Settings.Storage}:MaxRetries"] = "2",
                [Settings.RealtimeTokenSigningKey] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                [Settings.AdminKey] = AdminKey,
                // Never dialled: the client is replaced by the in-memory namespace.
                [Settings.ServiceBus] = "Endpoint=sb://unused.servicebus.windows.net/;SharedAccessKeyName=tests;SharedAccessKey=unused",
                // As the server's tests: off unless a test turns them on, so that no other test counts its calls.
                ["Workforce:RateLimit:PermitsPerMinute"] = "0",
                ["Workforce:RateLimit:KeyPermitsPerMinute"] = "0",
            })
            .AddInMemoryCollection(settings)
            .Build();

        // As the worker's host: configuration and logging are the host's, then the app's own services.
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkforceFunctions(configuration);
        services.Replace(ServiceDescriptor.Singleton<ServiceBusClient>(Bus));
        services.Replace(ServiceDescriptor.Singleton(Clock));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        // What the host does when it starts: validate the options, then run the hosted services (storage provisioning).
        _services.GetRequiredService<IStartupValidator>().Validate();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            _hosted.Add(hosted);
        }

        _engine = await WorkflowEngine.StartAsync(EngineKind.DurableTask, RegisterWorkflowFunctions);
    }

    /// <summary>
    /// The app's orchestrator and activity functions, registered under their function names: the engine runs the
    /// functions themselves, as Durable Functions does, not the orchestrations/ classes directly.
    /// </summary>
    private void RegisterWorkflowFunctions(DurableTaskRegistry tasks) => tasks
        .AddOrchestratorFunc<TaskLifecycleInput, TaskLifecycleOutcome?>(WorkflowNames.TaskLifecycle, (context, _) => OrchestratorFunctions.TaskLifecycle(context))
        .AddOrchestratorFunc<Orchestrations.AgentLiveness.BatchInput, int>(WorkflowNames.AgentLiveness, (context, _) => OrchestratorFunctions.AgentLiveness(context))
        .AddOrchestratorFunc<Orchestrations.AgentLiveness.BatchInput, CleanupReport>(WorkflowNames.Cleanup, (context, _) => OrchestratorFunctions.Cleanup(context))
        .AddOrchestratorFunc<Orchestrations.AgentLiveness.BatchInput, int>(WorkflowNames.AnalyticsSampling, (context, _) => OrchestratorFunctions.AnalyticsSampling(context))
        .AddOrchestratorFunc<string, object?>(WorkflowNames.BillingCycle, (context, _) => OrchestratorFunctions.BillingCycle(context))
        .AddOrchestratorFunc<DeliveryRun, DeliveryStatus>(WorkflowNames.DeliverNotification, (context, _) => OrchestratorFunctions.DeliverNotification(context))
        .AddActivityFunc<TaskRef, TaskSnapshot?>(WorkflowNames.EnforceTaskTimeouts, (context, input) => ActivityAsync(context, (f, c, _) => f.EnforceTaskTimeouts(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.TakeSilentAgentsOffline, (context, input) => ActivityAsync(context, (f, c, d) => f.TakeSilentAgentsOffline(input, d, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeFinishedTasks, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeFinishedTasks(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeFinishedOrchestrations, (context, input) => ActivityAsync(context, (f, c, d) => f.PurgeFinishedOrchestrations(input, d, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeExpiredSubmissions, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeExpiredSubmissions(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeDeadLetters, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeDeadLetters(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeUsageEvents, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeUsageEvents(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeDeliveries, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeDeliveries(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeMinuteRollups, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeMinuteRollups(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeHourRollups, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeHourRollups(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeAgentSamples, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeAgentSamples(input, c)))
        .AddOrchestratorFunc<ReportRun, ReportStatus>(WorkflowNames.GenerateReport, (context, _) => OrchestratorFunctions.GenerateReport(context))
        .AddActivityFunc<ReportRun, ReportStatus>(WorkflowNames.GenerateReportFile, (context, input) => ActivityAsync(context, (f, c, _) => f.GenerateReportFile(input!, c)))
        .AddActivityFunc<FailedReportRun, ReportStatus>(WorkflowNames.FailReport, (context, input) => ActivityAsync(context, (f, c, _) => f.FailReport(input!, c)))
        .AddActivityFunc<ReportRun, bool>(WorkflowNames.AnnounceReport, (context, input) => ActivityAsync(context, (f, c, _) => f.AnnounceReport(input!, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeReports, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeReports(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeAnomalies, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeAnomalies(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeAudit, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeAudit(input, c)))
        .AddActivityFunc<int, int>(WorkflowNames.PurgeMessages, (context, input) => ActivityAsync(context, (f, c, _) => f.PurgeMessages(input, c)))
        .AddOrchestratorFunc<Orchestrations.AgentLiveness.BatchInput, int>(WorkflowNames.ForecastRetraining, (context, _) => OrchestratorFunctions.ForecastRetraining(context))
        .AddOrchestratorFunc<string, int>(WorkflowNames.RetrainTenant, (context, _) => OrchestratorFunctions.RetrainTenant(context))
        .AddActivityFunc<RetrainPage, RetrainedTenants>(WorkflowNames.RetrainForecasts, (context, input) => ActivityAsync(context, (f, c, _) => f.RetrainForecasts(input!, c)))
        .AddActivityFunc<string, int>(WorkflowNames.RetrainTenantForecasts, (context, input) => ActivityAsync(context, (f, c, _) => f.RetrainTenantForecasts(input!, c)))
        .AddActivityFunc<TenantPage, SampledPage>(WorkflowNames.SampleTenantGauges, (context, input) => ActivityAsync(context, (f, c, _) => f.SampleTenantGauges(input!, c)))
        .AddActivityFunc<string, ClosedPeriodsResult>(WorkflowNames.CloseBillingPeriods, (context, input) => ActivityAsync(context, (f, c, _) => f.CloseBillingPeriods(input, c)))
        .AddActivityFunc<ChargeInput, ChargedInvoice>(WorkflowNames.ChargeInvoice, (context, input) => ActivityAsync(context, (f, c, _) => f.ChargeInvoice(input!, c)))
        .AddActivityFunc<InvoiceRef, bool>(WorkflowNames.SuspendForNonPayment, (context, input) => ActivityAsync(context, (f, c, _) => f.SuspendForNonPayment(input!, c)))
        .AddActivityFunc<EndedAccount, bool>(WorkflowNames.EndPaymentAccount, (context, input) => ActivityAsync(context, (f, c, _) => f.EndPaymentAccount(input!, c)))
        .AddActivityFunc<DeliveryAttemptInput, DeliveryStep>(WorkflowNames.AttemptDelivery, (context, input) => ActivityAsync(context, (f, c, _) => f.AttemptDelivery(input!, c)));

    /// <summary>One activity invocation: the function context carries its name and the calling instance, as the Durable extension's binding data does.</summary>
    private Task<TOutput> ActivityAsync<TOutput>(TaskActivityContext activity, Func<ActivityFunctions, FunctionContext, DurableTaskClient, Task<TOutput>> run)
    {
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition.Name).Returns(activity.Name.Name);
        context.SetupGet(c => c.BindingContext.BindingData).Returns(new Dictionary<string, object?> { ["instanceId"] = activity.InstanceId });
        return InvokeAsync<ActivityFunctions, TOutput>((functions, durable) => run(functions, context.Object, durable));
    }

    /// <summary>What <c>DurableClientBinding</c> does before the function's class is created.</summary>
    private DurableTaskClient Bind(IServiceProvider scope, DurableTaskClient? durable)
    {
        var client = durable ?? _engine.Client;
        scope.GetRequiredService<InvocationDurableClient>().Use(client);
        return client;
    }

    private static DefaultHttpContext HttpContextFor(HttpFunction function, FunctionRequest call, IServiceProvider scope)
    {
        var context = new DefaultHttpContext { RequestServices = scope };
        var request = context.Request;
        request.Method = call.Method;
        request.Scheme = "http";
        request.Host = new HostString("localhost", 7071);
        request.Path = "/api/" + call.Path;
        request.QueryString = call.Query.Length > 0 ? new QueryString("?" + call.Query) : QueryString.Empty;
        var routeValues = new RouteValueDictionary();
        if (!new TemplateMatcher(TemplateParser.Parse(function.Route), new RouteValueDictionary()).TryMatch("/" + call.Path, routeValues))
        {
            throw new InvalidOperationException($"{call.Method} {call.Path} does not match {function}: the worker would not route it there.");
        }

        request.RouteValues = routeValues;
        // What the worker's forwarded-headers middleware makes of the X-Forwarded-For the host sends.
        context.Connection.RemoteIpAddress = call.ClientIp;
        foreach (var (name, value) in call.Headers)
        {
            request.Headers[name] = value;
        }

        if (call.ContentType is not null)
        {
            request.ContentType = call.ContentType;
        }

        if (call.Body is { } body)
        {
            request.Body = new MemoryStream(body);
            if (call.Chunked)
            {
                request.Headers.TransferEncoding = "chunked";
            }
            else
            {
                request.ContentLength = body.Length;
            }
        }

        // Kestrel's answer to whether the request has a body, which the JSON binder asks before reading one.
        context.Features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(call.Body is { Length: > 0 } || call.Chunked));
        context.Response.Body = new MemoryStream();
        return context;
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody { get; } = canHaveBody;
    }
}

/// <summary>An HTTP function of the app: its class and method, and the route and methods its trigger declares.</summary>
public sealed record HttpFunction(Type Class, MethodInfo Method, string Route, IReadOnlyList<string> Methods)
{
    /// <summary>Every HTTP function that answers with an <see cref="ApiResponse"/> (all but negotiate, whose connection info the host binds).</summary>
    public static IReadOnlyList<HttpFunction> All { get; } =
    [
        .. typeof(ApiResponse).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(method => (type, method)))
            .Where(f => f.method.GetCustomAttribute<FunctionAttribute>() is not null && f.method.ReturnType == typeof(Task<ApiResponse>))
            .Select(f => (f.type, f.method, trigger: f.method.GetParameters()[0].GetCustomAttribute<HttpTriggerAttribute>()))
            .Where(f => f.trigger is not null)
            .Select(f => new HttpFunction(f.type, f.method, f.trigger!.Route!, [.. f.trigger.Methods!.Select(m => m.ToUpperInvariant())]))
            .OrderBy(f => f.Route, StringComparer.Ordinal).ThenBy(f => f.Method.Name, StringComparer.Ordinal),
    ];

    public static HttpFunction Of(Type type, string name) =>
        All.SingleOrDefault(f => f.Class == type && f.Method.Name == name) ?? throw new ArgumentException($"{type.Name} has no HTTP function {name}.", nameof(name));

    public override string ToString() => $"{Method.Name} ({string.Join(',', Methods)} {Route})";
}
