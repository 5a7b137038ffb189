using System.Collections.Concurrent;

namespace Workforce.Testing.PayPal;

/// <summary>
/// Failure injection for the fake PayPal. Each fault applies to the next matching requests (by a path fragment; any
/// API path when none is given) and is used up by them.
/// </summary>
public sealed class FakePayPalFaults
{
    private readonly ConcurrentQueue<Fault> _faults = new();

    /// <summary>The next <paramref name="count"/> matching requests answer <paramref name="status"/> before doing anything.</summary>
    public void FailNext(int count, int status = 503, string? path = null)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(new Fault(FaultKind.ServerError, path, status, TimeSpan.Zero, null));
        }
    }

    /// <summary>The next matching request answers 429 RATE_LIMIT_REACHED with <c>Retry-After</c> in whole seconds.</summary>
    public void ThrottleNext(TimeSpan retryAfter, string? path = null) =>
        _faults.Enqueue(new Fault(FaultKind.Throttle, path, 429, retryAfter, null));

    /// <summary>The next capture is declined: 422 UNPROCESSABLE_ENTITY with this issue, and nothing is charged.</summary>
    public void DeclineNextCapture(string issue = "SUBSCRIBER_ACCOUNT_RESTRICTED") =>
        _faults.Enqueue(new Fault(FaultKind.Decline, "/capture", 422, TimeSpan.Zero, issue));

    /// <summary>
    /// The next matching request is carried out (and its answer kept for its PayPal-Request-Id), but the answer is
    /// held back for <paramref name="delay"/>: longer than the client's timeout, a charge made whose answer never came.
    /// </summary>
    public void DelayAnswerAfterProcessing(TimeSpan delay, string path) =>
        _faults.Enqueue(new Fault(FaultKind.DelayAfter, path, 0, delay, null));

    /// <summary>The next renewal of the plan fee fails (PayPal adds it to the outstanding balance).</summary>
    public void FailNextRenewal() => _faults.Enqueue(new Fault(FaultKind.RenewalFailure, "renewal", 0, TimeSpan.Zero, "PAYMENT_DENIED"));

    internal Fault? TakeBefore(string path) => Take(path, f => f.Kind is FaultKind.ServerError or FaultKind.Throttle);

    internal Fault? Take(string path, FaultKind kind) => Take(path, f => f.Kind == kind);

    private Fault? Take(string path, Func<Fault, bool> kind)
    {
        // Faults are few and tests single-minded: rotate through the queue once, keeping those that do not match.
        Fault? taken = null;
        var count = _faults.Count;
        for (var i = 0; i < count && _faults.TryDequeue(out var fault); i++)
        {
            if (taken is null && kind(fault) && (fault.Path is null || path.Contains(fault.Path, StringComparison.Ordinal)))
            {
                taken = fault;
            }
            else
            {
                _faults.Enqueue(fault);
            }
        }

        return taken;
    }

    internal enum FaultKind
    {
        ServerError,
        Throttle,
        Decline,
        DelayAfter,
        RenewalFailure,
    }

    internal sealed record Fault(FaultKind Kind, string? Path, int Status, TimeSpan Delay, string? Issue);
}
