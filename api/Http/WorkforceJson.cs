using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Workforce.Api.Agents;
using Workforce.Api.Billing;
using Workforce.Api.Notifications;
using Workforce.Api.Operations;
using Workforce.Api.Realtime;
using Workforce.Api.Tasks;
using Workforce.Api.Tenants;
using Workforce.Api.Usage;
using Workforce.Core.Agents;
using Workforce.Core.Tasks;
using Workforce.Core.Tenants;

namespace Workforce.Api.Http;

/// <summary>
/// The API's JSON: camelCase, enums as their lower-case names (no numbers), times ISO-8601 UTC, nulls written out
/// so every field of the contract is always present. Serialization code is generated at build time.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SubmitTaskCommand))]
[JsonSerializable(typeof(CompleteTaskCommand))]
[JsonSerializable(typeof(FailTaskCommand))]
[JsonSerializable(typeof(TaskPatchRequest))]
[JsonSerializable(typeof(RegisterAgentCommand))]
[JsonSerializable(typeof(MetricsReport))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(HeldTasksResponse))]
[JsonSerializable(typeof(CreateTenantCommand))]
[JsonSerializable(typeof(TaskResponse))]
[JsonSerializable(typeof(PageResponse<TaskResponse>))]
[JsonSerializable(typeof(SubmitTasksCommand))]
[JsonSerializable(typeof(LeasedTasksResponse))]
[JsonSerializable(typeof(FinishedTaskResponse))]
[JsonSerializable(typeof(BatchSubmissionResponse))]
[JsonSerializable(typeof(List<TaskTransitionResponse>))]
[JsonSerializable(typeof(AgentResponse))]
[JsonSerializable(typeof(PageResponse<AgentResponse>))]
[JsonSerializable(typeof(TenantResponse))]
[JsonSerializable(typeof(PageResponse<OrchestrationResponse>))]
[JsonSerializable(typeof(OrchestrationResponse))]
[JsonSerializable(typeof(QueuesResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(RealtimeTokenResponse))]
[JsonSerializable(typeof(List<TaskUpdate>))]
[JsonSerializable(typeof(List<TaskRemoved>))]
[JsonSerializable(typeof(List<AgentUpdate>))]
[JsonSerializable(typeof(QueueStats))]
[JsonSerializable(typeof(Notification))]
[JsonSerializable(typeof(UsageResponse))]
[JsonSerializable(typeof(UsageHistoryResponse))]
[JsonSerializable(typeof(SubscriptionResponse))]
[JsonSerializable(typeof(SubscriptionChangeRequest))]
[JsonSerializable(typeof(SubscriptionTermsRequest))]
[JsonSerializable(typeof(InvoiceResponse))]
[JsonSerializable(typeof(InvoiceListResponse))]
[JsonSerializable(typeof(RefundRequest))]
[JsonSerializable(typeof(CheckoutRequest))]
[JsonSerializable(typeof(CheckoutResponse))]
[JsonSerializable(typeof(PaymentWebhookReceipt))]
[JsonSerializable(typeof(Core.Notifications.NotificationLevel), TypeInfoPropertyName = "NotificationEventLevel")]
[JsonSerializable(typeof(EndpointResponse))]
[JsonSerializable(typeof(EndpointListResponse))]
[JsonSerializable(typeof(CreateEndpointRequest))]
[JsonSerializable(typeof(DeliveryResponse))]
[JsonSerializable(typeof(PageResponse<DeliveryResponse>))]
[JsonSerializable(typeof(ReplayResponse))]
[JsonSerializable(typeof(EventCatalogueResponse))]
[JsonSerializable(typeof(TemplateRequest))]
[JsonSerializable(typeof(TemplateResponse))]
[JsonSerializable(typeof(TemplateListResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class WorkforceJsonContext : JsonSerializerContext;

public static class WorkforceJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, WorkforceJsonContext.Default);
        options.Converters.Add(new LowercaseEnumConverter<TaskPriority>());
        options.Converters.Add(new LowercaseEnumConverter<TaskState>());
        options.Converters.Add(new LowercaseEnumConverter<AgentRole>());
        options.Converters.Add(new LowercaseEnumConverter<AgentStatus>());
        options.Converters.Add(new LowercaseEnumConverter<TaskLossReason>());
        options.Converters.Add(new LowercaseEnumConverter<OrchestrationRuntimeStatus>());
        options.Converters.Add(new LowercaseEnumConverter<NotificationLevel>());
        options.Converters.Add(new LowercaseEnumConverter<Core.Notifications.NotificationLevel>());
        options.Converters.Add(new LowercaseEnumConverter<Core.Notifications.NotificationChannel>());
        options.Converters.Add(new LowercaseEnumConverter<Core.Notifications.EndpointStatus>());
        options.Converters.Add(new LowercaseEnumConverter<Core.Notifications.DeliveryStatus>());
        options.Converters.Add(new LowercaseEnumConverter<Core.Reports.ReportType>());
        options.Converters.Add(new LowercaseEnumConverter<Core.Reports.ReportFormat>());
        options.Converters.Add(new LowercaseEnumConverter<Core.Reports.ReportStatus>());
        options.Converters.Add(new UtcDateTimeOffsetConverter());
    }
}

/// <summary>
/// Enums as camelCase names only ("critical", "continuedAsNew"), never numbers. An unknown name fails with a
/// message listing the accepted ones, which the error handler returns as a field error.
/// </summary>
internal sealed class LowercaseEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> Names =
        Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()));

    private static readonly FrozenDictionary<string, TEnum> Values =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.OrdinalIgnoreCase);

    public static string Accepted => string.Join(", ", Names.Values);

    public static bool TryParse(string? text, out TEnum value) => Values.TryGetValue(text ?? "", out value);

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out var value)
            ? value
            : throw new JsonException($"Use one of: {Accepted}.");

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Names[value]);
}

/// <summary>Times go out in UTC with a Z, whatever offset they were created with.</summary>
internal sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TryGetDateTimeOffset(out var value)
            ? value.ToUniversalTime()
            : throw new JsonException("Use an ISO-8601 date and time, e.g. 2026-01-31T12:00:00Z.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
