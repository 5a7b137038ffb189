using System.Diagnostics.Metrics;
using Workforce.Storage.Azure;

namespace Workforce.Storage.Tests;

/// <summary>Reads the Azure adapter's request meter for one step of a test.</summary>
internal static class AzureRequests
{
    /// <summary>
    /// Requests sent while the step runs, retries included. Other tests' requests run in other async flows, so they
    /// are told apart by an async-local flag.
    /// </summary>
    public static async Task<long> CountAsync(Func<Task> step)
    {
        var counted = new AsyncLocal<bool> { Value = true };
        var requests = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RequestMeter.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            if (counted.Value)
            {
                Interlocked.Add(ref requests, value);
            }
        });
        listener.Start();
        await step();
        return requests;
    }
}
