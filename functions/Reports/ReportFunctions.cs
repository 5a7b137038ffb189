using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Workforce.Api.Reports;
using Workforce.Core;
using Workforce.Functions.Http;

namespace Workforce.Functions.Reports;

/// <summary>
/// The v1 report routes, served by the same handlers as on the standalone server: metered like the task routes, as
/// reports are heavy; the invoice PDF is open like the invoices. Asking for a report starts its run with the client
/// the function binds.
/// </summary>
public sealed class ReportFunctions(ApiRequests api)
{
    [Function(nameof(RequestReport))]
    public Task<ApiResponse> RequestReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Reports)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ReportEndpoints.RequestAsync);

    [Function(nameof(ListReports))]
    public Task<ApiResponse> ListReports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Reports)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ReportEndpoints.ListAsync);

    [Function(nameof(GetReport))]
    public Task<ApiResponse> GetReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Report)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ReportEndpoints.GetAsync);

    [Function(nameof(CreateReportSchedule))]
    public Task<ApiResponse> CreateReportSchedule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ReportSchedules)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ReportEndpoints.CreateScheduleAsync);

    [Function(nameof(ListReportSchedules))]
    public Task<ApiResponse> ListReportSchedules(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ReportSchedules)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ReportEndpoints.ListSchedulesAsync);

    [Function(nameof(GetReportSchedule))]
    public Task<ApiResponse> GetReportSchedule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.ReportSchedule)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ReportEndpoints.GetScheduleAsync);

    [Function(nameof(DeleteReportSchedule))]
    public Task<ApiResponse> DeleteReportSchedule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.ReportSchedule)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.TenantOrAgent, ReportEndpoints.DeleteScheduleAsync);

    [Function(nameof(GetInvoicePdf))]
    public Task<ApiResponse> GetInvoicePdf(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.InvoicePdf)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        api.InvokeAsync(request, ApiAccess.Account, ReportEndpoints.InvoicePdfAsync);
}
