namespace Workforce.Core.Analytics;

/// <summary>This server's own resource use, as its host measures it.</summary>
public interface ISystemMetrics
{
    SystemSample Read();
}

/// <param name="Server">The node's name: the machine, or the Functions instance.</param>
/// <param name="CpuPercent">The process's share of all cores since the previous reading.</param>
/// <param name="DiskFreeMb">Of the volume the data lives on; null where there is none to read (Azure).</param>
public sealed record SystemSample(
    string Server,
    DateTimeOffset At,
    double CpuPercent,
    double MemoryMb,
    double ManagedHeapMb,
    int Threads,
    double? DiskFreeMb,
    double? DiskTotalMb,
    TimeSpan Uptime);
