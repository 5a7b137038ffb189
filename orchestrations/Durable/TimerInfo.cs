namespace Workforce.Orchestrations.Durable;

/// <summary>One firing of a timer trigger; mirrors Microsoft.Azure.Functions.Worker.TimerInfo.</summary>
public sealed record TimerInfo(bool IsPastDue, ScheduleStatus? ScheduleStatus);

/// <summary>Mirrors Microsoft.Azure.Functions.Worker.ScheduleStatus.</summary>
public sealed record ScheduleStatus(DateTime Last, DateTime Next, DateTime LastUpdated);
