namespace Workforce.Core.Storage;

public static class Paging
{
    public static readonly Failure InvalidCursor = Failure.Invalid("cursor", "The cursor is not one this API issued; pass the nextCursor of a previous page.");

    public static Failure? Check(PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Limit is < 1 or > PageRequest.MaxLimit
            ? Failure.Invalid("limit", $"limit must be between 1 and {PageRequest.MaxLimit}.")
            : null;
    }
}
