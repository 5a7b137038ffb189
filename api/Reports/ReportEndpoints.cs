using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Workforce.Api.Auth;
using Workforce.Api.Http;
using Workforce.Core;
using Workforce.Core.Billing;
using Workforce.Core.Reports;
using Workforce.Core.Storage;

namespace Workforce.Api.Reports;

/// <summary>The handlers of the report routes: reports asked for and read, their schedules, and invoices as PDF.</summary>
public static class ReportEndpoints
{
    /// <summary>202: the report is pending; read it again (Location) until it is ready or failed.</summary>
    public static async Task<Results<Accepted<ReportResponse>, ProblemHttpResult>> RequestAsync(
        ReportRequest request, RequestReport requestReport, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(requestReport);
        var outcome = await requestReport.ExecuteAsync(user.Caller(), new RequestReportCommand(request.Type, request.Format, request.From, request.To, request.Filters), cancellationToken);
        return outcome.Value is { } report
            ? TypedResults.Accepted(ApiRoutes.ReportLocation(report.Id), ReportResponse.Of(report))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> GetAsync(
        string id, QueryReports query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.FindAsync(user.Caller(), id, cancellationToken);
        return outcome.Value is { } report
            ? TypedResults.Ok(ReportResponse.Of(report, Absolute(await query.DownloadLinkAsync(report, cancellationToken), context.Request)))
            : outcome.Failure!.ToProblem(context);
    }

    /// <summary>Newest first; the items carry no download links (read a report for its link).</summary>
    /// <summary>The standalone server's local files have links relative to the server: resolved against the address the request came to.</summary>
    private static Uri? Absolute(Uri? link, HttpRequest request) =>
        link is null || link.IsAbsoluteUri ? link : new Uri(new Uri($"{request.Scheme}://{request.Host}{request.PathBase}"), link);

    public static async Task<Results<Ok<PageResponse<ReportResponse>>, ProblemHttpResult>> ListAsync(
        QueryReports query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken, int limit = PageRequest.DefaultLimit, string? cursor = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ListAsync(user.Caller(), new PageRequest(limit, cursor), cancellationToken);
        return outcome.Value is { } page
            ? TypedResults.Ok(PageResponse<ReportResponse>.From(page, report => ReportResponse.Of(report)))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Created<ReportScheduleResponse>, ProblemHttpResult>> CreateScheduleAsync(
        ReportScheduleRequest request, CreateReportSchedule create, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(create);
        var outcome = await create.ExecuteAsync(user.Caller(),
            new CreateReportScheduleCommand(request.Type, request.Format, request.Cron, request.Range, request.Filters, request.DeliverTo), cancellationToken);
        return outcome.Value is { } schedule
            ? TypedResults.Created(ApiRoutes.ReportScheduleLocation(schedule.Id), ReportScheduleResponse.Of(schedule))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<ReportScheduleListResponse>, ProblemHttpResult>> ListSchedulesAsync(
        QueryReportSchedules query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.ListAsync(user.Caller(), cancellationToken);
        return outcome.Value is { } schedules
            ? TypedResults.Ok(new ReportScheduleListResponse([.. schedules.Select(ReportScheduleResponse.Of)]))
            : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<Ok<ReportScheduleResponse>, ProblemHttpResult>> GetScheduleAsync(
        string id, QueryReportSchedules query, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var outcome = await query.FindAsync(user.Caller(), id, cancellationToken);
        return outcome.Value is { } schedule ? TypedResults.Ok(ReportScheduleResponse.Of(schedule)) : outcome.Failure!.ToProblem(context);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteScheduleAsync(
        string id, RemoveReportSchedule remove, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remove);
        var outcome = await remove.ExecuteAsync(user.Caller(), id, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem(context);
    }

    /// <summary>The invoice as a PDF, written as it is rendered: the same document a billing report is made of, for one invoice.</summary>
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> InvoicePdfAsync(
        string id, QueryInvoices query, BuildReportDocument build, IEnumerable<IReportRenderer> renderers, ClaimsPrincipal user, HttpContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(renderers);
        var outcome = await query.GetAsync(user.Caller(), id, cancellationToken);
        if (outcome.Value is not { } invoice)
        {
            return outcome.Failure!.ToProblem(context);
        }

        if (renderers.FirstOrDefault(r => r.Format == ReportFormat.Pdf) is not { } pdf)
        {
            return new Failure(FailureKind.Unprocessable, "This server has no PDF renderer.").ToProblem(context);
        }

        var document = build.InvoiceDocument(invoice);
        return TypedResults.Stream(output => pdf.RenderAsync(document, output, context.RequestAborted), pdf.ContentType, $"{invoice.Id}.{pdf.Extension}");
    }
}
