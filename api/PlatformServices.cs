using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workforce.Api.Analytics;
using Workforce.Api.Audit;
using Workforce.Api.Auth;
using Workforce.Api.Billing;
using Workforce.Api.Http;
using Workforce.Api.Realtime;
using Workforce.Api.Usage;
using Workforce.Core;
using Workforce.Core.Agents;
using Workforce.Core.Analytics;
using Workforce.Core.Billing;
using Workforce.Core.Messaging;
using Workforce.Core.Notifications;
using Workforce.Core.Plans;
using Workforce.Core.Retention;
using Workforce.Core.Scheduling;
using Workforce.Core.Tasks;
using Workforce.Orchestrations.TaskLifecycle;
using Workforce.Reports;

namespace Workforce.Api;

public static class PlatformServices
{
    /// <summary>
    /// What every host of the platform needs: the use cases and the validated options they and the workflows read,
    /// the API's JSON and problem details, and X-API-Key authentication. The host adds storage, the workflows with
    /// their orchestration client, and its <see cref="RealtimeAccessTokens"/> and <see cref="RealtimeHubAddress"/>.
    /// </summary>
    public static IServiceCollection AddWorkforcePlatform(this IServiceCollection services)
    {
        services.AddValidatedOptions<TaskOptions>(TaskOptions.Section)
            .Validate(o => !o.Validate().Any(), "Workforce:Tasks is invalid; check Retry (0 < BaseDelay <= MaxDelay, Multiplier >= 1, 0 <= JitterRatio <= 1).");
        services.AddValidatedOptions<LeaseOptions>(LeaseOptions.Section);
        services.AddValidatedOptions<AgentOptions>(AgentOptions.Section);
        services.AddValidatedOptions<LifecycleOptions>(LifecycleOptions.Section);
        services.AddValidatedOptions<RetentionOptions>(RetentionOptions.Section);
        services.AddValidatedOptions<BillingOptions>(BillingOptions.Section);
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidation>();
        services.AddValidatedOptions<DunningOptions>(DunningOptions.Section);
        services.AddValidatedOptions<WorkforceHttpOptions>(WorkforceHttpOptions.Section);
        services.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        services.AddValidatedOptions<AdminOptions>(AdminOptions.Section);
        services.AddValidatedOptions<RealtimeOptions>(RealtimeOptions.Section);
        services.AddValidatedOptions<NotificationOptions>(NotificationOptions.Section)
            .Validate(o => o.RetrySchedule.Count <= 20 && o.RetrySchedule.All(d => d > TimeSpan.Zero),
                "Workforce:Notifications:RetrySchedule holds at most 20 delays, each positive (empty: the standard schedule).");
        services.AddValidatedOptions<AnalyticsOptions>(AnalyticsOptions.Section);
        services.AddValidatedOptions<Core.Forecasting.ForecastingOptions>(Core.Forecasting.ForecastingOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Core.Forecasting.ForecastingOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AnalyticsOptions>>().Value);
        services.AddValidatedOptions<Core.Reports.ReportOptions>(Core.Reports.ReportOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Core.Reports.ReportOptions>>().Value);
        // One setting for the PDF's row cap: Workforce:Reports:PdfRowLimit.
        services.AddReportRenderers();
        services.AddOptions<Workforce.Reports.Pdf.PdfReportOptions>()
            .Configure<IOptions<Core.Reports.ReportOptions>>((pdf, reports) => pdf.MaxPrimaryRows = reports.Value.PdfRowLimit);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TaskOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LeaseOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AgentOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LifecycleOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RetentionOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BillingOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DunningOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NotificationOptions>>().Value);

        services.AddWorkforceCore();
        services.AddValidatedOptions<Core.Messaging.MessagingOptions>(Core.Messaging.MessagingOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Core.Messaging.MessagingOptions>>().Value);
        services.AddWorkforceMessaging();
        services.ConfigureHttpJsonOptions(options => WorkforceJson.Configure(options.SerializerOptions));
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Describe);
        services.AddSingleton<CallerCache>();
        services.AddSingleton<KeyAuthentication>();
        services.AddSingleton<RealtimeTokenValidation>();
        services.AddSingleton<ApiCallMeter>();
        services.AddSingleton<BillingCycleStarts>();
        services.TryAddSingleton<ISystemMetrics>(sp => new ProcessSystemMetrics(sp.GetRequiredService<TimeProvider>(), dataDirectory: null));
        // Registered first so it stops last: the API calls' final flush still counts in analytics.
        services.AddHostedService<AnalyticsFlushing>();
        services.AddHostedService<ApiCallFlushing>();
        services.AddWorkforceAudit();
        return services;
    }

    /// <summary>Options bound from their section, checked against their annotations when the host starts.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
