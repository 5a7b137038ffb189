using System.Buffers.Text;
using System.Text;
using Workforce.Core.Storage;

namespace Workforce.Storage.Azure;

/// <summary>Page cursors: a position (a row key, a marker) in base64url, opaque to clients and checked on the way back.</summary>
internal static class PageCursors
{
    public static string Encode(string kind, string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(kind + ":" + position));

    /// <exception cref="InvalidCursorException">The cursor was not made by <see cref="Encode"/> for this kind.</exception>
    public static string Decode(string kind, string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
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
