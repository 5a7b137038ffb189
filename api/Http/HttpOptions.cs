using System.ComponentModel.DataAnnotations;

namespace Workforce.Api.Http;

/// <summary>Bound from <c>Workforce:Http</c>.</summary>
public sealed class WorkforceHttpOptions
{
    public const string Section = "Workforce:Http";

    /// <summary>Bodies above this size are refused with 413 before they are read. Task payloads have their own 256 KiB limit.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 512 * 1024;

    /// <summary>Browser origins allowed to call the API (CORS). Empty: none.</summary>
    public string[] CorsOrigins { get; set; } = [];
}
