using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Workforce.Agent;

/// <summary>
/// Agent messaging: handlers for message types, a receive loop (a long poll of the agent's inbox, run only when a
/// message handler is registered) that acknowledges a message once its handler succeeded, and sending as the agent.
/// </summary>
public sealed partial class AgentHost
{
    private const int MessageBatchSize = 10;

    private readonly Dictionary<string, Func<JsonElement?, MessageContext, CancellationToken, Task>> _messageHandlers = new(StringComparer.Ordinal);

    /// <summary>
    /// Handles messages of <paramref name="type"/> with <paramref name="handler"/>: the payload arrives as
    /// <typeparamref name="T"/> (System.Text.Json, web defaults). The message is acknowledged when the handler
    /// returns, and when it throws <see cref="NonRetryableException"/> (or the payload does not fit
    /// <typeparamref name="T"/>): then it is dropped with an error log. Any other exception leaves it
    /// unacknowledged, and the server delivers it again after its visibility timeout (30 s by default) with
    /// <see cref="MessageContext.Attempt"/> one higher: delivery is at least once, so handlers should be idempotent.
    /// Messages are handled one at a time, in the order received. The token is cancelled when the agent stops for good.
    /// </summary>
    public AgentHost OnMessage<T>(string type, Func<T, MessageContext, CancellationToken, Task> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(handler);
        _messageHandlers[type] = (payload, context, cancellationToken) => handler(Read<T>(payload), context, cancellationToken);
        return this;
    }

    /// <summary>
    /// Sends a direct message to agent <paramref name="agentId"/> as this agent (with its key); the agent must be
    /// connected (running). A server that is away is retried with backoff until <paramref name="cancellationToken"/>
    /// stops it, so a send whose answer was lost may arrive twice. A refusal (404 for an agent not in the tenant,
    /// 429 for a full inbox, 400) throws <see cref="HttpRequestException"/> with the status.
    /// </summary>
    public Task<SentMessage> SendAsync<T>(Guid agentId, string type, T payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var body = JsonSerializer.SerializeToNode(payload, ServerConnection.Json);
        return SendingAsync(ct => _server.SendMessageAsync(agentId, type, body, ct), cancellationToken);
    }

    /// <summary>
    /// Broadcasts a message as this agent to every agent of the tenant with <paramref name="role"/> and
    /// <paramref name="capability"/> (either, both or neither), except this one; returns each receiver's copy.
    /// Retries and refusals as <see cref="SendAsync{T}"/>.
    /// </summary>
    public Task<IReadOnlyList<SentMessage>> BroadcastAsync<T>(string type, T payload, string? role = null, string? capability = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var body = JsonSerializer.SerializeToNode(payload, ServerConnection.Json);
        return SendingAsync(ct => _server.BroadcastAsync(type, body, role, capability, ct), cancellationToken);
    }

    private async Task<TSent> SendingAsync<TSent>(Func<CancellationToken, Task<TSent>> send, CancellationToken cancellationToken)
    {
        if (AgentId == Guid.Empty)
        {
            throw new InvalidOperationException("The agent sends messages once it is connected: call RunAsync first.");
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await send(cancellationToken);
            }
            catch (ServerAwayException away)
            {
                var delay = Backoff(attempt);
                LogServerAway(_logger, AgentId, away.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, _clock, cancellationToken);
            }
            catch (ServerRefusedException refused)
            {
                throw new HttpRequestException($"The server refused the message: {refused.Message}", null, refused.Status);
            }
        }
    }

    /// <summary>
    /// Receives until <paramref name="stoppingToken"/> stops it; what the last receive returned but was not handled
    /// by then comes again. Handlers get the agent's lifetime token.
    /// </summary>
    private async Task MessageLoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = await _server.ReceiveMessagesAsync(_options.LeaseWaitSeconds, MessageBatchSize, stoppingToken);
                failures = 0;
                foreach (var message in messages.TakeWhile(_ => !stoppingToken.IsCancellationRequested))
                {
                    await HandleMessageAsync(message);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || _lifetime.IsCancellationRequested)
            {
                break;
            }
            catch (Exception away) when (away is ServerAwayException or ServerRefusedException or JsonException)
            {
                if (!await PauseAsync(away, failures++, stoppingToken))
                {
                    break;
                }
            }
        }
    }

    private async Task HandleMessageAsync(AgentMessage message)
    {
        var context = new MessageContext(message);
        if (!_messageHandlers.TryGetValue(message.Type, out var handler))
        {
            // No handler of this agent will ever take it: acknowledged, so it does not come back every 30 s.
            LogUnknownMessage(_logger, AgentId, message.Id, message.Type);
        }
        else
        {
            try
            {
                await handler(message.Payload, context, _lifetime.Token);
            }
            catch (Exception) when (_lifetime.IsCancellationRequested)
            {
                return; // the agent stopped before the handler finished: not acknowledged, it comes again
            }
            catch (NonRetryableException dropped)
            {
                LogMessageDropped(_logger, dropped, AgentId, message.Id, message.Type, context.Attempt, dropped.Message);
            }
            catch (Exception failure)
            {
                LogMessageHandlerFailed(_logger, failure, AgentId, message.Id, message.Type, context.Attempt);
                return; // not acknowledged: the server delivers it again after its visibility timeout
            }
        }

        await ReportAsync(async ct =>
        {
            await _server.AcknowledgeMessageAsync(message.Id, ct);
            return true;
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} has no handler for message {MessageId} of type '{MessageType}'; acknowledged and dropped")]
    private static partial void LogUnknownMessage(ILogger logger, Guid agentId, Guid messageId, string messageType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Agent {AgentId}: the handler of message {MessageId} ({MessageType}, attempt {Attempt}) cannot take it; acknowledged and dropped: {Problem}")]
    private static partial void LogMessageDropped(ILogger logger, Exception exception, Guid agentId, Guid messageId, string messageType, int attempt, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId}: the handler of message {MessageId} ({MessageType}, attempt {Attempt}) failed; it comes again")]
    private static partial void LogMessageHandlerFailed(ILogger logger, Exception exception, Guid agentId, Guid messageId, string messageType, int attempt);
}
