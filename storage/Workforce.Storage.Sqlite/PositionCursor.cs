using System.Text;
using Workforce.Core.Storage;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// A list's cursor: the position of the last item shown (its sort key as text) behind a kind tag, in base64, opaque
/// to clients and checked on the way back so one list's cursor is refused by another.
/// </summary>
internal static class PositionCursor
{
    public static string Encode(string kind, string position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(kind + ":" + position)).TrimEnd('=');

    /// <returns>Null when there is no cursor: the list starts at its beginning.</returns>
    /// <exception cref="InvalidCursorException">The cursor was not made by <see cref="Encode"/> for this kind.</exception>
    public static string? Decode(string kind, string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var padded = cursor.PadRight(cursor.Length + ((4 - (cursor.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            if (text.StartsWith(kind + ":", StringComparison.Ordinal))
            {
                return text[(kind.Length + 1)..];
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidCursorException("The cursor is not valid.");
    }
}
