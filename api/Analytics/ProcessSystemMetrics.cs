using System.Diagnostics;
using Workforce.Core.Analytics;

namespace Workforce.Api.Analytics;

/// <summary>
/// This process's resource use: CPU as its share of all cores since the previous reading (over at least a second,
/// so two readings close together do not give noise), working set, managed heap, threads, and the free space of
/// the volume that holds <paramref name="dataDirectory"/> (none when the host keeps no data on disk).
/// </summary>
public sealed class ProcessSystemMetrics(TimeProvider clock, string? dataDirectory) : ISystemMetrics
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly DateTimeOffset _startedAt = new(Process.GetCurrentProcess().StartTime.ToUniversalTime());
    private (DateTimeOffset At, TimeSpan Cpu, double Percent) _last = (DateTimeOffset.MinValue, TimeSpan.Zero, 0);

    public SystemSample Read()
    {
        using var process = Process.GetCurrentProcess();
        var now = clock.GetUtcNow();
        double cpuPercent;
        lock (_gate)
        {
            var cpu = process.TotalProcessorTime;
            if (now - _last.At >= MinimumInterval)
            {
                var elapsed = _last.At == DateTimeOffset.MinValue ? now - _startedAt : now - _last.At;
                var used = cpu - _last.Cpu;
                var percent = elapsed <= TimeSpan.Zero ? 0 : Math.Clamp(100 * used / (elapsed * Environment.ProcessorCount), 0, 100);
                _last = (now, cpu, percent);
            }

            cpuPercent = _last.Percent;
        }

        var (free, total) = Disk();
        return new SystemSample(
            Environment.MachineName, now, Math.Round(cpuPercent, 2), process.WorkingSet64 / 1_048_576d, GC.GetTotalMemory(false) / 1_048_576d,
            process.Threads.Count, free, total, now - _startedAt);
    }

    private (double? Free, double? Total) Disk()
    {
        if (dataDirectory is null)
        {
            return (null, null);
        }

        try
        {
            // On Linux a DriveInfo of any path reads the file system that holds it.
            var drive = new DriveInfo(Path.GetFullPath(dataDirectory));
            return (drive.AvailableFreeSpace / 1_048_576d, drive.TotalSize / 1_048_576d);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, null);
        }
    }
}
