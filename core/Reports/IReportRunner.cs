namespace Workforce.Core.Reports;

/// <summary>
/// Starts the durable run that generates a report (the report workflow) under the report's id. Starting the run of a
/// report again is harmless: generating a finished report does nothing, so a request or schedule repeated after a
/// crash makes one file.
/// </summary>
public interface IReportRunner
{
    Task StartAsync(Report report, CancellationToken cancellationToken = default);
}
