using System.Collections.Concurrent;

namespace Workforce.Testing.Twilio;

/// <summary>Failure injection for the fake Twilio. Each fault applies to the next request, before anything is checked or sent, and is used up by it.</summary>
public sealed class FakeTwilioFaults
{
    private readonly ConcurrentQueue<Fault> _faults = new();

    /// <summary>
    /// The next <paramref name="count"/> requests answer <paramref name="status"/> (500, 503, 429...) with Twilio's
    /// error body, and <c>Retry-After</c> in whole seconds when <paramref name="retryAfter"/> is given.
    /// </summary>
    public void FailNext(int count = 1, int status = 500, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(new Fault(status, retryAfter));
        }
    }

    /// <summary>The next <paramref name="count"/> requests get no answer: the fake holds each until the client gives up or the fake stops.</summary>
    public void HangNext(int count = 1) => FailNext(count, status: 0);

    internal Fault? Take() => _faults.TryDequeue(out var fault) ? fault : null;

    /// <param name="Status">0 for no answer at all.</param>
    internal sealed record Fault(int Status, TimeSpan? RetryAfter)
    {
        public bool Hangs => Status == 0;
    }
}
