using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Notifications;
using Workforce.Core.Storage;

namespace Workforce.Api.Notifications;

/// <summary>The handlers of the notification routes: the event catalogue, endpoints, deliveries and templates.</summary>
public static class NotificationEndpoints
{
    public static Ok<EventCatalogueResponse> Events() =>
        TypedResults.Ok(new EventCatalogueResponse([.. NotificationEvents.All.Select(d =>
            new EventTypeResponse(d.Type, d.Level, d.Description, d.Fields, NotificationEndpoint.OptInEvents.Contains(d.Type), d.Summary, d.Body))]));

    public static async Task<Results<Created<EndpointResponse>, ProblemHttpResult>> CreateAsync(
        CreateEndpointRequest request, CreateNotificationEndpoint create, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(create);
        var outcome = await create.ExecuteAsync(user.Caller(),
            new CreateNotificationEndpointCommand(request.Channel, request.Target, request.Events, request.MinLevel, request.Description), cancellationToken);
        return outcome.Value is { } endpoint
            ? TypedResults.Created($"/{ApiRoutes.Prefix}/{ApiRoutes.NotificationEndpoints}/{endpoint.Id}", EndpointResponse.From(endpoint, withSecret: true))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<EndpointListResponse>, ProblemHttpResult>> ListAsync(
        QueryNotificationEndpoints query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ListAsync(user.Caller(), cancellationToken);
        return outcome.Value is { } endpoints
            ? TypedResults.Ok(new EndpointListResponse([.. endpoints.Select(e => EndpointResponse.From(e))]))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> GetAsync(
        string id, QueryNotificationEndpoints query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Respond(await query.GetAsync(user.Caller(), id, cancellationToken), context);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, RemoveNotificationEndpoint remove, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remove);
        var outcome = await remove.ExecuteAsync(user.Caller(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> RotateSecretAsync(
        string id, RotateEndpointSecret rotate, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotate);
        return Respond(await rotate.ExecuteAsync(user.Caller(), id, cancellationToken), context, withSecret: true);
    }

    /// <summary>202: the test is on its way; its delivery (Location) shows how the endpoint answered.</summary>
    public static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> TestAsync(
        string id, SendTestNotification test, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(test);
        var outcome = await test.ExecuteAsync(user.Caller(), id, cancellationToken);
        return outcome.Value is { } delivery
            ? TypedResults.Accepted(DeliveryLocation(delivery), DeliveryResponse.From(delivery))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Accepted<ReplayResponse>, ProblemHttpResult>> ReplayAsync(
        string id, ReplayEndpoint replay, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken, DateTimeOffset? since = null)
    {
        ArgumentNullException.ThrowIfNull(replay);
        var outcome = await replay.ExecuteAsync(user.Caller(), id, since, cancellationToken);
        return outcome.Succeeded ? TypedResults.Accepted((string?)null, new ReplayResponse(outcome.Value)) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<PageResponse<DeliveryResponse>>, ProblemHttpResult>> ListDeliveriesAsync(
        QueryDeliveries query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        string? endpointId = null, string? status = null, string? @event = null, int limit = PageRequest.DefaultLimit, string? cursor = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new FieldErrors();
        ApiEnums.TryParseOptional<DeliveryStatus>(status, "status", errors, out var parsedStatus);
        errors.Require(@event is null || NotificationEvents.Find(@event) is not null, "event", "Use an event type of GET /api/v1/notifications/events.");
        if (errors.Any)
        {
            return errors.ToFailure().ToProblem(context);
        }

        var outcome = await query.ListAsync(user.Caller(), new DeliveryFilter(endpointId, parsedStatus, @event), new PageRequest(limit, cursor), cancellationToken);
        return outcome.Value is { } page ? TypedResults.Ok(PageResponse<DeliveryResponse>.From(page, DeliveryResponse.From)) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<DeliveryResponse>, ProblemHttpResult>> GetDeliveryAsync(
        string id, QueryDeliveries query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.GetAsync(user.Caller(), id, cancellationToken);
        return outcome.Value is { } delivery ? TypedResults.Ok(DeliveryResponse.From(delivery)) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> RetryDeliveryAsync(
        string id, RetryDelivery retry, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var outcome = await retry.ExecuteAsync(user.Caller(), id, cancellationToken);
        return outcome.Value is { } delivery
            ? TypedResults.Accepted(DeliveryLocation(delivery), DeliveryResponse.From(delivery))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<TemplateListResponse>, ProblemHttpResult>> ListTemplatesAsync(
        QueryNotificationTemplates query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ListAsync(user.Caller(), cancellationToken);
        return outcome.Value is { } templates
            ? TypedResults.Ok(new TemplateListResponse([.. templates.Select(TemplateResponse.From)]))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> PutTemplateAsync(
        string @event, string channel, TemplateRequest request, SetNotificationTemplate set, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(set);
        if (ChannelOf(channel) is not { } parsed)
        {
            return UnknownChannel(channel).ToProblem(context);
        }

        var outcome = await set.ExecuteAsync(user.Caller(), @event, parsed, new SetNotificationTemplateCommand(request.Subject, request.Body), cancellationToken);
        return outcome.Value is { } template ? TypedResults.Ok(TemplateResponse.From(template)) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteTemplateAsync(
        string @event, string channel, SetNotificationTemplate set, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (ChannelOf(channel) is not { } parsed)
        {
            return UnknownChannel(channel).ToProblem(context);
        }

        var outcome = await set.RemoveAsync(user.Caller(), @event, parsed, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem(context);
    }

    private static NotificationChannel? ChannelOf(string text) =>
        LowercaseEnumConverter<NotificationChannel>.TryParse(text, out var channel) ? channel : null;

    private static Failure UnknownChannel(string channel) => Failure.NotFound($"The channel {channel} (use email or sms)");

    private static string DeliveryLocation(NotificationDelivery delivery) => $"/{ApiRoutes.Prefix}/{ApiRoutes.NotificationDeliveries}/{delivery.Id}";

    private static Results<Ok<EndpointResponse>, ProblemHttpResult> Respond(Outcome<NotificationEndpoint> outcome, HttpContext context, bool withSecret = false) =>
        outcome.Value is { } endpoint ? TypedResults.Ok(EndpointResponse.From(endpoint, withSecret)) : outcome.Failure!.ToProblem(context);
}
