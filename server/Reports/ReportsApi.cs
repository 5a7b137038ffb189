using Workforce.Api.Reports;
using Workforce.Core;

namespace Workforce.Server.Reports;

internal static class ReportsApi
{
    /// <summary>Reports asked for and read, and their schedules. Mapped in the metered group: each report is a heavy query and a file.</summary>
    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("").WithTags("Reports");
        reports.MapPost(ApiRoutes.Reports, ReportEndpoints.RequestAsync)
            .WithSummary("Ask for a report (health, billing, performance, agentActivity) as pdf, csv or json")
            .WithDescription("202 with the pending report; read it again (Location) until its status is ready, then fetch downloadUrl. " +
                "from and to are ISO 8601, to not in the future, at most 400 days apart. filters: type, priority and agentId (agentActivity and performance only). " +
                "Generation is durable: a server restart resumes it.");
        reports.MapGet(ApiRoutes.Reports, ReportEndpoints.ListAsync)
            .WithSummary("The tenant's reports, newest first")
            .WithDescription("Page with limit (1 to 500) and cursor. The items carry no downloadUrl; read a report for its link.");
        reports.MapGet(ApiRoutes.ReportSchedules, ReportEndpoints.ListSchedulesAsync).WithSummary("The tenant's report schedules");
        reports.MapPost(ApiRoutes.ReportSchedules, ReportEndpoints.CreateScheduleAsync)
            .WithSummary("Make a report on a schedule and send its link to notification endpoints")
            .WithDescription("cron: six-field NCRONTAB in UTC, at most hourly. range: 1h to 400d as whole hours or days (24h, 7d, 30d), ending at each due time. " +
                "deliverTo: notification endpoint ids of the tenant; each hears report.ready (or report.failed). At most 20 schedules per tenant.");
        reports.MapGet(ApiRoutes.ReportSchedule, ReportEndpoints.GetScheduleAsync).WithSummary("A report schedule");
        reports.MapDelete(ApiRoutes.ReportSchedule, ReportEndpoints.DeleteScheduleAsync).WithSummary("Stop a report schedule; its reports stay until their retention ends");
        reports.MapGet(ApiRoutes.Report, ReportEndpoints.GetAsync)
            .WithSummary("A report, with a fresh time-limited downloadUrl once it is ready")
            .WithDescription("The link is valid for Workforce:Reports:LinkValidity (1 h) and needs no key; read the report again for a new one.");
        return api;
    }

    /// <summary>An invoice as a PDF: unmetered like the invoices, so a suspended tenant can still get the invoice it must pay.</summary>
    public static RouteGroupBuilder MapInvoicePdfApi(this RouteGroupBuilder api)
    {
        api.MapGet(ApiRoutes.InvoicePdf, ReportEndpoints.InvoicePdfAsync)
            .WithTags("Billing")
            .WithSummary("An invoice as a PDF")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        return api;
    }
}
