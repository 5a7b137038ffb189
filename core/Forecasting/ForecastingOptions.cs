using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Forecasting;

/// <summary>How series are trained, forecast and turned into advice (<c>Workforce:Forecasting</c>).</summary>
public sealed class ForecastingOptions
{
    public const string Section = "Workforce:Forecasting";

    /// <summary>The hours a model learns from: 60 days, so a series trains once it has the 1,000 hourly points asked for.</summary>
    [Range(typeof(TimeSpan), "2.00:00:00", "395.00:00:00")]
    public TimeSpan TrainingWindow { get; set; } = TimeSpan.FromDays(60);

    [Range(1, 168)]
    public int HorizonHours { get; set; } = 48;

    /// <summary>The prediction intervals' coverage, and the measured coverage a forecast needs to be confident.</summary>
    [Range(0.5, 0.99)]
    public double ConfidenceThreshold { get; set; } = 0.85;

    /// <summary>The busy share of their slots the recommended agents would run at.</summary>
    [Range(0.1, 1.0)]
    public double TargetUtilisation { get; set; } = 0.7;

    /// <summary>The robust z-score from which a residual is an anomaly: high, so an operator is not paged by noise.</summary>
    [Range(2.0, 50.0)]
    public double AnomalyThreshold { get; set; } = 5.0;

    /// <summary>Series one retraining run reads at most (trains, or finds too short); the rest are first in line for the next run.</summary>
    [Range(1, 10_000)]
    public int MaxSeriesPerRun { get; set; } = 200;

    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan AnomalyRetention { get; set; } = TimeSpan.FromDays(90);

    public ForecastSettings Settings => new(HorizonHours, ConfidenceThreshold, BacktestDays: 7, AnomalyThreshold);
}
