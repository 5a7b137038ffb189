using Workforce.Core;

namespace Workforce.Api.Http;

/// <summary>Query-string enums, read by the same names the JSON uses, with the same error message.</summary>
internal static class ApiEnums
{
    public static bool TryParseOptional<TEnum>(string? text, string field, FieldErrors errors, out TEnum? value)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(errors);
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (LowercaseEnumConverter<TEnum>.TryParse(text, out var parsed))
        {
            value = parsed;
            return true;
        }

        errors.Add(field, $"Use one of: {LowercaseEnumConverter<TEnum>.Accepted}.");
        return false;
    }
}
