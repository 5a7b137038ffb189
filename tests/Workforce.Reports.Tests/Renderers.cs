using Microsoft.Extensions.DependencyInjection;
using Workforce.Core.Reports;
using Workforce.Reports.Pdf;

namespace Workforce.Reports.Tests;

/// <summary>The renderers as a host gets them, through <see cref="ReportRenderingServices.AddReportRenderers"/>.</summary>
internal static class Renderers
{
    public static IReportRenderer For(ReportFormat format, Action<PdfReportOptions>? configurePdf = null)
    {
        var services = new ServiceCollection().AddReportRenderers(configurePdf).BuildServiceProvider();
        return services.GetServices<IReportRenderer>().Single(renderer => renderer.Format == format);
    }

    /// <summary>The folder holding Workforce.Functions.sln, above the running tests' output (as ServerProcess finds it).</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Workforce.Functions.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException($"No Workforce.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
