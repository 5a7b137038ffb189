using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Workforce.Core.Files;

namespace Workforce.Core.Reports;

/// <summary>
/// The body of the report workflow's activity: marks the report running, builds its document with the one query of
/// its type, and streams it through the renderer of its format into blob storage, then marks it ready with the file's
/// size. Running it again after a crash writes the file again under the same name; a finished report is left alone.
/// A report that cannot be built from what is kept fails at once; any other error propagates, for the workflow to
/// retry, and <see cref="FailAsync"/> records the last one when retries run out.
/// </summary>
public sealed partial class GenerateReport(
    IReportStore reports, BuildReportDocument build, IEnumerable<IReportRenderer> renderers, IBlobStore blobs, TimeProvider clock, ILogger<GenerateReport> logger)
{
    private readonly IReportRenderer[] _renderers = [.. renderers];

    /// <returns>The report as it ended; null when there is no such report (purged, or never saved).</returns>
    public async Task<Report?> ExecuteAsync(string tenantId, string reportId, CancellationToken cancellationToken = default)
    {
        if (await reports.FindAsync(tenantId, reportId, cancellationToken) is not { } report)
        {
            return null;
        }

        if (report.IsFinished)
        {
            return report;
        }

        var running = report.Start(clock.GetUtcNow());
        await reports.SaveAsync(running, cancellationToken);
        if (_renderers.FirstOrDefault(r => r.Format == report.Format) is not { } renderer)
        {
            return await FailAsync(running, $"No renderer writes {ReportTypes.Name(report.Format)} on this server.", cancellationToken);
        }

        BlobItem stored;
        var name = running.BlobNameFor(renderer.Extension);
        try
        {
            var document = await build.BuildAsync(running, cancellationToken);
            stored = await StoreAsync(running.TenantId, name, document, renderer, cancellationToken);
        }
        catch (ReportFailedException e)
        {
            return await FailAsync(running, e.Message, cancellationToken);
        }

        var ready = running.Finish(name, stored.Length, clock.GetUtcNow());
        await reports.SaveAsync(ready, cancellationToken);
        LogReady(logger, ready.Id, ready.TenantId, stored.Length, (ready.FinishedAt!.Value - running.StartedAt!.Value).TotalMilliseconds);
        return ready;
    }

    /// <summary>Records that the report failed for good, unless it finished meanwhile.</summary>
    public async Task<Report?> FailAsync(string tenantId, string reportId, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        return await reports.FindAsync(tenantId, reportId, cancellationToken) is { } report
            ? report.IsFinished ? report : await FailAsync(report, error, cancellationToken)
            : null;
    }

    private async Task<Report> FailAsync(Report report, string error, CancellationToken cancellationToken)
    {
        var failed = report.Fail(error.Length > 1_000 ? error[..1_000] : error, clock.GetUtcNow());
        await reports.SaveAsync(failed, cancellationToken);
        LogFailed(logger, report.Id, report.TenantId, failed.Error!);
        return failed;
    }

    /// <summary>
    /// The renderer writes into one end of a pipe while the blob store reads the other, so the file is never whole in
    /// memory (the pipe holds at most a few buffers before the writer waits for the reader).
    /// </summary>
    private async Task<BlobItem> StoreAsync(string tenantId, string name, ReportDocument document, IReportRenderer renderer, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = Task.Run(async () =>
        {
            var output = pipe.Writer.AsStream();
            try
            {
                await renderer.RenderAsync(document, output, stop.Token);
                await output.FlushAsync(stop.Token);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        }, CancellationToken.None);
        try
        {
            await using var input = pipe.Reader.AsStream();
            var stored = await blobs.PutAsync(tenantId, name, input, renderer.ContentType, cancellationToken);
            await writing;
            return stored;
        }
        catch
        {
            // Stop a writer that waits for a reader that has given up; the writer's own error, if it had one, says more.
            await stop.CancelAsync();
            await pipe.Reader.CompleteAsync();
            try
            {
                await writing;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report {ReportId} of tenant {TenantId} is ready: {Length} bytes in {ElapsedMs:0} ms")]
    private static partial void LogReady(ILogger logger, string reportId, string tenantId, long length, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {ReportId} of tenant {TenantId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string reportId, string tenantId, string error);
}
