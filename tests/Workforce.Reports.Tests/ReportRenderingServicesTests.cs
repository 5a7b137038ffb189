using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workforce.Core.Reports;
using Workforce.Reports.Pdf;

namespace Workforce.Reports.Tests;

public sealed class ReportRenderingServicesTests
{
    [Fact]
    public void Registers_one_renderer_per_format_once_however_often_it_is_called()
    {
        var services = new ServiceCollection().AddReportRenderers().AddReportRenderers().BuildServiceProvider();

        var renderers = services.GetServices<IReportRenderer>().ToList();

        Assert.Equal([ReportFormat.Pdf, ReportFormat.Csv, ReportFormat.Json], renderers.Select(r => r.Format));
        Assert.Equal(["application/pdf", "text/csv; charset=utf-8", "application/json; charset=utf-8"], renderers.Select(r => r.ContentType));
        Assert.Equal(["pdf", "csv", "json"], renderers.Select(r => r.Extension));
        Assert.Same(renderers[0], services.GetServices<IReportRenderer>().First());
    }

    [Fact]
    public void A_negative_row_cap_is_refused()
    {
        var services = new ServiceCollection().AddReportRenderers(options => options.MaxPrimaryRows = -1).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PdfReportOptions>>().Value);

        Assert.Contains(nameof(PdfReportOptions.MaxPrimaryRows), error.Message);
    }
}
