namespace Workforce.Storage.Sqlite;

/// <summary>Wakes queue consumers when a message may have become receivable; they also look again on a timeout.</summary>
internal sealed class MessageSignal
{
    private TaskCompletionSource _next = NewSignal();

    public Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken) =>
        Volatile.Read(ref _next).Task.WaitAsync(timeout, clock, cancellationToken);

    public void Pulse() => Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
