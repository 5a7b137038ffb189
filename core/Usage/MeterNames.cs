using System.Globalization;

namespace Workforce.Core.Usage;

/// <summary>How meters are named and counted where people read them: the API's names, minutes for compute.</summary>
public static class MeterNames
{
    public static string Of(Meter meter) => meter switch
    {
        Meter.Tasks => "tasks",
        Meter.ComputeMinutes => "computeMinutes",
        Meter.ApiCalls => "apiCalls",
        Meter.StorageBytes => "storageBytes",
        _ => throw new ArgumentOutOfRangeException(nameof(meter), meter, null),
    };

    public static Meter? Parse(string? name) => Enum.GetValues<Meter>().Cast<Meter?>().FirstOrDefault(m => string.Equals(Of(m!.Value), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A quantity in the unit the API shows: compute in minutes (to the hundredth), the rest as counted.</summary>
    public static decimal InUnits(Meter meter, long quantity) =>
        meter == Meter.ComputeMinutes ? decimal.Round(quantity / 60m, 2) : quantity;

    public static string Format(Meter meter, long quantity) => meter switch
    {
        Meter.ComputeMinutes => string.Create(CultureInfo.InvariantCulture, $"{InUnits(meter, quantity)} minutes"),
        Meter.StorageBytes => string.Create(CultureInfo.InvariantCulture, $"{quantity} bytes"),
        Meter.Tasks => string.Create(CultureInfo.InvariantCulture, $"{quantity} tasks"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{quantity} calls"),
    };
}
