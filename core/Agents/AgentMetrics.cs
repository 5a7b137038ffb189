namespace Workforce.Core.Agents;

/// <summary>Resource usage an agent reports about itself.</summary>
public sealed record AgentMetrics(double CpuPercent, double MemoryMb, int ThreadCount, DateTimeOffset ReportedAt);
