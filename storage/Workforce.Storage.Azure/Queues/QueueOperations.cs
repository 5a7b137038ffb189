using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Workforce.Storage.Azure.Queues;

/// <summary>
/// The queue operations <see cref="AzureWorkQueues"/> builds on: times rounded up to the whole seconds the service
/// counts in, and a pop receipt that no longer matches (the message was received again, or is gone) reported as a
/// lost lock instead of an error.
/// </summary>
internal static class QueueOperations
{
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <summary>The most messages one Get Messages returns.</summary>
    public const int MaxMessagesPerGet = 32;

    /// <summary>The service's time-to-live for a message that never expires.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <param name="timeToLive">Null: the message never expires.</param>
    public static Task PutAsync(this QueueClient queue, string text, TimeSpan invisibleFor, TimeSpan? timeToLive, CancellationToken cancellationToken) =>
        queue.SendMessageAsync(text, Seconds(invisibleFor), timeToLive is { } ttl ? Seconds(ttl) : NeverExpires, cancellationToken);

    /// <summary>Hides what it returns for <paramref name="visibilityTimeout"/> (at least a second) and counts the dequeue.</summary>
    public static async Task<QueueMessage[]> GetAsync(this QueueClient queue, int count, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var visibility = Seconds(visibilityTimeout);
        var response = await queue.ReceiveMessagesAsync(Math.Clamp(count, 1, MaxMessagesPerGet), visibility < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : visibility, cancellationToken);
        return response.Value;
    }

    /// <returns>False when the pop receipt no longer matches.</returns>
    public static async Task<bool> TryDeleteAsync(this QueueClient queue, string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            await queue.DeleteMessageAsync(messageId, popReceipt, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (IsLostReceipt(e))
        {
            return false;
        }
    }

    /// <returns>The new pop receipt, or null when the given one no longer matches.</returns>
    public static async Task<string?> TryUpdateVisibilityAsync(this QueueClient queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        try
        {
            var receipt = await queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: Seconds(visibilityTimeout), cancellationToken: cancellationToken);
            return receipt.Value.PopReceipt;
        }
        catch (RequestFailedException e) when (IsLostReceipt(e))
        {
            return null;
        }
    }

    /// <summary>404 MessageNotFound, or 400 PopReceiptMismatch (or a receipt the service cannot parse).</summary>
    private static bool IsLostReceipt(RequestFailedException e) => e.Status is 404 or 400;

    private static TimeSpan Seconds(TimeSpan span) => TimeSpan.FromSeconds(Math.Ceiling(Math.Max(0, span.TotalSeconds)));
}
