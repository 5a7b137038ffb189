namespace Workforce.Bench;

/// <summary>
/// The CPU time the server and this process (the load generator: its agents and submitters) spend from the moment
/// the window opens (sampled every 20 ms until then) to the moment <see cref="PerTask"/> is read.
/// </summary>
internal sealed class CpuProbe : IDisposable
{
    private readonly Func<TimeSpan> _serverCpu;
    private readonly Timer _timer;
    private (TimeSpan Server, TimeSpan Bench)? _atStart;

    public CpuProbe(Window window, Func<TimeSpan> serverCpu)
    {
        _serverCpu = serverCpu;
        _timer = new Timer(_ => _atStart ??= window.IsMeasuring ? Sample() : null, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
    }

    /// <summary>Milliseconds of CPU per task since the window opened, in the server and in this process.</summary>
    public CpuPerTask PerTask(long tasks)
    {
        var (server, bench) = Sample();
        var (serverAtStart, benchAtStart) = _atStart ?? (TimeSpan.Zero, TimeSpan.Zero);
        return new((server - serverAtStart).TotalMilliseconds / Math.Max(1, tasks), (bench - benchAtStart).TotalMilliseconds / Math.Max(1, tasks));
    }

    public void Dispose() => _timer.Dispose();

    private (TimeSpan Server, TimeSpan Bench) Sample() => (_serverCpu(), Environment.CpuUsage.TotalTime);
}

/// <summary>Milliseconds of CPU per completed task, in the server and in the benchmark's process.</summary>
internal readonly record struct CpuPerTask(double ServerMs, double BenchMs)
{
    public override string ToString() => $"server CPU {ServerMs:0.00} ms/task, benchmark CPU {BenchMs:0.00} ms/task";
}
