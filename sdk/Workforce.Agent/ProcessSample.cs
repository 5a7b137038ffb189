using System.Diagnostics;

namespace Workforce.Agent;

/// <summary>The agent process's own resource use, as its heartbeats report it.</summary>
internal sealed record ProcessSample(double CpuPercent, double MemoryMb, int ThreadCount);

/// <summary>Measures the process: CPU over the time since the last sample (across all cores, 0-100), working set and threads.</summary>
internal sealed class ProcessMeter(TimeProvider clock)
{
    private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long _lastAt = clock.GetTimestamp();

    public ProcessSample Sample()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var now = clock.GetTimestamp();
        var wall = clock.GetElapsedTime(_lastAt, now);
        var percent = wall > TimeSpan.Zero ? (cpu - _lastCpu) / wall / Environment.ProcessorCount * 100 : 0;
        _lastCpu = cpu;
        _lastAt = now;
        return new ProcessSample(Math.Round(Math.Clamp(percent, 0, 100), 1), Math.Round(process.WorkingSet64 / 1024d / 1024d, 1), process.Threads.Count);
    }
}
