namespace Workforce.Core.Forecasting;

/// <summary>
/// A forecasting method's state as it walks the series hour by hour: every routine (fitting, backtest, intervals,
/// anomalies) is written once against this, so the methods cannot drift apart in how they treat gaps or origins.
/// </summary>
internal interface IModelState
{
    /// <summary>The forecast of the next hour's value (NaN when the method has nothing to go on yet).</summary>
    double OneStep();

    /// <summary>The forecasts of the next <c>into.Length</c> hours, without changing the state.</summary>
    void Forecast(Span<double> into);

    /// <summary>Moves one hour on. A NaN value is a gap: the state advances as if the value were its own forecast.</summary>
    void Observe(double value);
}
