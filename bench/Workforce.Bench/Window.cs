using System.Diagnostics;

namespace Workforce.Bench;

/// <summary>The measured part of a run: after the warm-up, for the duration.</summary>
internal sealed class Window(TimeSpan warmup, TimeSpan duration)
{
    private readonly long _start = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
    private readonly long _end = Stopwatch.GetTimestamp() + (long)((warmup + duration).TotalSeconds * Stopwatch.Frequency);

    public bool IsOver => Stopwatch.GetTimestamp() >= _end;

    public bool IsMeasuring => Stopwatch.GetTimestamp() is var now && now >= _start && now < _end;

    public bool Contains(long started, long finished) => started >= _start && finished <= _end;

    /// <summary>Prints the running count once a second, so a long run shows it is alive.</summary>
    public static Timer Progress(string name, Func<long> count, Window window)
    {
        var last = 0L;
        return new Timer(_ =>
        {
            var now = count();
            Console.Error.WriteLine($"  {name,-8} {(window.IsMeasuring ? "measuring" : "warming up"),-10} {now - last,8:N0}/s");
            last = now;
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }
}
