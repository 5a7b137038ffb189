using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Workforce.Core.Reports;
using Workforce.Reports.Csv;
using Workforce.Reports.Json;
using Workforce.Reports.Pdf;

namespace Workforce.Reports;

public static class ReportRenderingServices
{
    /// <summary>
    /// The PDF, CSV and JSON renderers as <see cref="IReportRenderer"/> singletons (stateless; pick one by its
    /// <see cref="IReportRenderer.Format"/>), with <see cref="PdfReportOptions"/> validated at start-up. A host that
    /// configures the PDF binds <see cref="PdfReportOptions.Section"/> itself, e.g.
    /// <c>services.Configure&lt;PdfReportOptions&gt;(configuration.GetSection(PdfReportOptions.Section))</c>.
    /// </summary>
    public static IServiceCollection AddReportRenderers(this IServiceCollection services, Action<PdfReportOptions>? configurePdf = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var pdfOptions = services.AddOptions<PdfReportOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configurePdf is not null)
        {
            pdfOptions.Configure(configurePdf);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReportRenderer, PdfReportRenderer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReportRenderer, CsvReportRenderer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReportRenderer, JsonReportRenderer>());
        return services;
    }
}
