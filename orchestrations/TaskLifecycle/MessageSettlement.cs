namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>What a queue handler asks its host to do with the message it was given.</summary>
public enum MessageSettlement
{
    Complete,

    /// <summary>The message cannot ever be handled; park it in the dead-letter queue with a reason.</summary>
    DeadLetter,
}

public sealed record HandlingResult(MessageSettlement Settlement, string? Reason = null)
{
    public static readonly HandlingResult Completed = new(MessageSettlement.Complete);
}
