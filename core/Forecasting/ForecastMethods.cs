namespace Workforce.Core.Forecasting;

/// <summary>The four methods by name: how each starts its state from a history, and from which hour it is judged.</summary>
internal static class ForecastMethods
{
    public const string SeasonalNaive24 = "seasonalNaive24";
    public const string SeasonalNaive168 = "seasonalNaive168";
    public const string HoltWinters = "holtWinters";
    public const string Combination = "combination";

    public static IReadOnlyList<string> All { get; } = [SeasonalNaive24, SeasonalNaive168, HoltWinters, Combination];

    public static bool UsesHoltWinters(string method) => method is HoltWinters or Combination;

    /// <summary>The first origin whose forecasts count: a full season seen, or Holt-Winters' two initial weeks.</summary>
    public static int WarmUp(string method) => method switch
    {
        SeasonalNaive24 => Forecasting.HoltWinters.Day,
        SeasonalNaive168 => Forecasting.HoltWinters.Week,
        HoltWinters or Combination => Forecasting.HoltWinters.WarmUp,
        _ => throw Unknown(method),
    };

    public static IModelState Start(string method, ReadOnlySpan<double> values, HoltWintersParameters? parameters) => method switch
    {
        SeasonalNaive24 => new SeasonalNaive(Forecasting.HoltWinters.Day),
        SeasonalNaive168 => new SeasonalNaive(Forecasting.HoltWinters.Week),
        HoltWinters => Forecasting.HoltWinters.Start(values, parameters!),
        Combination => new Combination(Forecasting.HoltWinters.Start(values, parameters!), new SeasonalNaive(Forecasting.HoltWinters.Week)),
        _ => throw Unknown(method),
    };

    public static HoltWintersParameters? ReadParameters(string method, IReadOnlyDictionary<string, double> parameters) =>
        UsesHoltWinters(method) ? HoltWintersParameters.FromDictionary(parameters) : null;

    public static IReadOnlyDictionary<string, double> Describe(string method, HoltWintersParameters? parameters) =>
        UsesHoltWinters(method) ? parameters!.ToDictionary() : new Dictionary<string, double>();

    private static ArgumentException Unknown(string method) =>
        new($"Unknown forecasting method '{method}'; the methods are {string.Join(", ", All)}.", nameof(method));
}
