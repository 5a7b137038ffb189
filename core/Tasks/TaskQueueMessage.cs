using System.Text.Json;
using Workforce.Core.Queues;

namespace Workforce.Core.Tasks;

/// <summary>
/// What hands a task to the workflows, on the queue of its priority: a task to watch over, sent in the transaction
/// that first gives it a time limit (<see cref="WorkTask.StartsLifecycle"/>).
/// </summary>
public sealed record TaskQueueMessage(string TenantId, Guid TaskId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static QueueMessage For(WorkTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var body = JsonSerializer.Serialize(new TaskQueueMessage(task.TenantId, task.Id), Json);
        return new QueueMessage(WorkQueues.ForPriority(task.Priority), body) { MessageId = task.Id.ToString("N"), TenantId = task.TenantId };
    }

    /// <returns>The message, or null when the body is not one.</returns>
    public static TaskQueueMessage? Parse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<TaskQueueMessage>(body, Json) is { TenantId: not null } message && message.TaskId != Guid.Empty ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
