using Workforce.Api.Messaging;
using Workforce.Core;

namespace Workforce.Server.Messaging;

internal static class MessagingApi
{
    public static RouteGroupBuilder MapMessagingApi(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("").WithTags("Messaging");

        messages.MapPost(ApiRoutes.AgentMessages, MessageEndpoints.SendAsync)
            .WithSummary("Send a message to an agent")
            .WithDescription("Kept in the agent's inbox until it acknowledges it or it expires. A tenant key sends as the tenant, an agent key as its agent. " +
                "429 (type …/inbox-full) when the inbox holds Workforce:Messaging:MaxInboxMessages unacknowledged messages.");
        messages.MapGet(ApiRoutes.AgentMessages, MessageEndpoints.ReceiveAsync)
            .WithSummary("Receive the agent's messages")
            .WithDescription("Only the agent's own key. Up to limit (1-100, default 10) unacknowledged messages in send order, each leased for the visibility " +
                "timeout (30 s): acknowledge each before its delivery.visibleUntil or it is delivered again. With waitSeconds (0-30) the request " +
                "long-polls until a message arrives; an empty items when none did.");
        messages.MapPost(ApiRoutes.AgentMessageAck, MessageEndpoints.AcknowledgeAsync)
            .WithSummary("Acknowledge a received message")
            .WithDescription("Only the agent's own key. It is not delivered again; acknowledging again succeeds. 404 when the agent has no such message.");
        messages.MapPost(ApiRoutes.Messages, MessageEndpoints.BroadcastAsync)
            .WithSummary("Broadcast a message to the tenant's agents")
            .WithDescription("Fanned out when sent into one message for each agent that has the role and capability in to (both optional; the sender is left out), " +
                "each with its own id and acknowledgement. All are sent, or none when an inbox is full (429). Returns the messages sent.");
        return api;
    }
}
