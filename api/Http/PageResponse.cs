using Workforce.Core.Storage;

namespace Workforce.Api.Http;

/// <summary>One page of a list; pass <see cref="NextCursor"/> as <c>cursor</c> for the next, until it is null.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    public static PageResponse<T> From<TSource>(Page<TSource> page, Func<TSource, T> map)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new([.. page.Items.Select(map)], page.NextCursor);
    }
}
