using Microsoft.Extensions.Logging;

namespace Workforce.Core.Usage;

/// <summary>
/// Where storage adapters publish the quota notices of each committed transaction, for the live dashboard (and the
/// notification channels). In-process and at most once, like the task change feed.
/// </summary>
public sealed partial class QuotaNoticeFeed(IEnumerable<IQuotaObserver> observers, ILogger<QuotaNoticeFeed> logger)
{
    private readonly IQuotaObserver[] _observers = [.. observers];

    public void Publish(IReadOnlyList<QuotaNotice> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        foreach (var notice in notices)
        {
            foreach (var observer in _observers)
            {
                try
                {
                    observer.OnNotice(notice);
                }
                catch (Exception e)
                {
                    LogObserverFailed(logger, e, observer.GetType().Name);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Quota observer {Observer} failed; it missed a notice")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string observer);
}
