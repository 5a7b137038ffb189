using Workforce.Agent;

namespace Workforce.Agent.Sample;

public sealed record EchoInput(string? Text);

public sealed record EchoResult(string Text, int Attempt);

public sealed record SlowInput(int Seconds = 10);

public sealed record SlowResult(int SecondsWorked);

public sealed record TaskAssignment(string Capability, string Note);

/// <summary>
/// The sample's task types — one that succeeds, one that fails retryably, a slow one, one that refuses bad input for
/// good — and its message handler.
/// </summary>
public static class SampleHandlers
{
    /// <summary>echo: returns the text in capitals.</summary>
    public static Task<EchoResult> EchoAsync(EchoInput input, TaskContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new EchoResult((input?.Text ?? "").ToUpperInvariant(), context.Attempt));

    /// <summary>flaky: the first two attempts throw, so the server retries it with backoff; the third succeeds.</summary>
    public static Task<EchoResult> FlakyAsync(EchoInput input, TaskContext context, CancellationToken cancellationToken) =>
        context.Attempt < 3
            ? throw new TimeoutException($"The model did not answer (attempt {context.Attempt}).")
            : EchoAsync(input, context, cancellationToken);

    /// <summary>slow: works a second at a time for the given seconds and stops as soon as the task is cancelled or times out.</summary>
    public static async Task<SlowResult> SlowAsync(SlowInput input, TaskContext context, CancellationToken cancellationToken)
    {
        var seconds = Math.Clamp(input?.Seconds ?? 10, 0, 3600);
        for (var second = 0; second < seconds; second++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return new SlowResult(seconds);
    }

    /// <summary>strict: empty text can never work, so the task fails for good instead of being retried.</summary>
    public static Task<EchoResult> StrictAsync(EchoInput input, TaskContext context, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(input?.Text)
            ? throw new NonRetryableException("strict needs a non-empty text.")
            : EchoAsync(input, context, cancellationToken);

    /// <summary>task_assignment: prints who assigned what; one without a capability can never be acted on, so it is dropped.</summary>
    public static Task AssignmentAsync(TaskAssignment assignment, MessageContext context, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(assignment?.Capability)
            ? throw new NonRetryableException("A task_assignment needs a capability.")
            : Console.Out.WriteLineAsync($"task_assignment from {context.Sender.Kind} {context.Sender.Id} (attempt {context.Attempt}): {assignment.Capability}: {assignment.Note}");
}
