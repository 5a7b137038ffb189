namespace Workforce.Core;

/// <summary>Capability names are trimmed, lower-cased, distinct and sorted, so matching is a plain ordinal comparison.</summary>
public static class Capabilities
{
    public const int MaxCount = 50;
    public const int MaxLength = 100;

    public static IReadOnlyList<string> Normalize(IEnumerable<string>? capabilities) =>
        capabilities is null ? [] : [.. capabilities.Select(c => c.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal)];

    /// <returns>Why the list is unacceptable, or null.</returns>
    public static string? Check(IReadOnlyList<string>? capabilities)
    {
        if (capabilities is null)
        {
            return null;
        }

        if (capabilities.Count > MaxCount)
        {
            return $"List at most {MaxCount} capabilities.";
        }

        return capabilities.Any(c => string.IsNullOrWhiteSpace(c) || c.Trim().Length > MaxLength)
            ? $"Each capability must be 1 to {MaxLength} characters."
            : null;
    }
}
