namespace Workforce.Core.Forecasting;

/// <summary>Hourly values from <see cref="Start"/>, one per hour; <see cref="double.NaN"/> marks a gap (an hour with no data).</summary>
public sealed record HourlySeries(DateTimeOffset Start, IReadOnlyList<double> Values)
{
    public int Count => Values.Count;

    public DateTimeOffset At(int index) => Start.AddHours(index);
}
