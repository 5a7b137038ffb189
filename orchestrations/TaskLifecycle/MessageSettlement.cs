namespace Workforce.Orchestrations.TaskLifecycle;

/// <summary>What a queue handler asks its host to do with the message it was given.</summary>
public enum MessageSettlement
{
    Complete,

    /// <summary>The message cannot ever be handled; park it in the dead-letter queue with a reason.</summary>
    DeadLetter,
}

/// <summary>How to settle a message; for a dead letter, <see cref="Reason"/> describes what is wrong with it.</summary>
public sealed record HandlingResult(MessageSettlement Settlement, string? Reason = null)
{
    /// <summary>The dead-letter reason every host gives an unhandleable message (the description is <see cref="Reason"/>).</summary>
    public const string DeadLetterReason = "UnhandleableMessage";

    public static readonly HandlingResult Completed = new(MessageSettlement.Complete);
}
