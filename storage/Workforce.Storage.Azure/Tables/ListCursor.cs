using Workforce.Core.Storage;

namespace Workforce.Storage.Azure.Tables;

/// <summary>
/// A list's cursor (tasks, deliveries): the row key to go on from and, when the scan stopped between matches, the
/// continuation token of that same query (the service's own position, opaque: on Azure it is not a row key). Row
/// keys hold no newline, so one separates the two.
/// </summary>
internal sealed class ListCursor(string kind, string prefix)
{
    public static ListCursor Tasks { get; } = new("tasks", RowKeys.ListPrefix);

    public static ListCursor Deliveries { get; } = new("deliveries", RowKeys.DeliveryListPrefix);

    public string Encode(string from, string? continuation) =>
        PageCursors.Encode(kind, continuation is null ? from : from + "\n" + continuation);

    /// <returns>Where the list starts when there is no cursor.</returns>
    /// <exception cref="InvalidCursorException">The cursor was not made by <see cref="Encode"/> for this list.</exception>
    public (string From, string? Continuation) Decode(string? cursor)
    {
        if (cursor is null)
        {
            return (prefix, null);
        }

        var position = PageCursors.Decode(kind, cursor);
        var split = position.IndexOf('\n', StringComparison.Ordinal);
        var (from, continuation) = split < 0 ? (position, null) : (position[..split], position[(split + 1)..]);
        return from.StartsWith(prefix, StringComparison.Ordinal) ? (from, continuation) : throw new InvalidCursorException("The cursor is not valid.");
    }
}
