using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core.Messaging;

namespace Workforce.Api.Messaging;

/// <summary>The handlers of the v1 messaging routes: parse, call the use case, map the outcome.</summary>
public static class MessageEndpoints
{
    public static async Task<Results<Created<MessageResponse>, ProblemHttpResult>> SendAsync(
        Guid id, SendMessageCommand command, SendMessage send, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var outcome = await send.ExecuteAsync(user.Caller(), id, command, cancellationToken);
        return outcome.Value is { } message
            ? TypedResults.Created((string?)null, MessageResponse.From(message))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Created<MessageBatchResponse>, ProblemHttpResult>> BroadcastAsync(
        BroadcastMessageCommand command, BroadcastMessage broadcast, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        var outcome = await broadcast.ExecuteAsync(user.Caller(), command, cancellationToken);
        return outcome.Value is { } messages
            ? TypedResults.Created((string?)null, new MessageBatchResponse([.. messages.Select(MessageResponse.From)]))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<MessageBatchResponse>, ProblemHttpResult>> ReceiveAsync(
        Guid id, ReceiveMessages receive, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken,
        int waitSeconds = 0, int limit = ReceiveMessages.DefaultLimit)
    {
        ArgumentNullException.ThrowIfNull(receive);
        var outcome = await receive.ExecuteAsync(user.Caller(), id, waitSeconds, limit, cancellationToken);
        return outcome.Value is { } batch
            ? TypedResults.Ok(new MessageBatchResponse([.. batch.Select(MessageResponse.From)]))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> AcknowledgeAsync(
        Guid id, Guid messageId, AcknowledgeMessage acknowledge, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(acknowledge);
        var outcome = await acknowledge.ExecuteAsync(user.Caller(), id, messageId, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem(context);
    }
}
