namespace Workforce.Core.Usage;

/// <summary>
/// What the platform meters. Quantities are kept in each meter's own unit: tasks accepted, seconds of running
/// (shown and limited as minutes), authenticated API calls, and bytes stored (a gauge billed on the period's peak).
/// </summary>
public enum Meter
{
    Tasks,
    ComputeMinutes,
    ApiCalls,
    StorageBytes,
}
