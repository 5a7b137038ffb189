using System.Security.Cryptography;
using Workforce.Api.Realtime;

namespace Workforce.Server.Realtime;

/// <summary>
/// The secret that signs the standalone server's hub access tokens: <c>Workforce:Realtime:TokenSigningKey</c> when
/// set, otherwise one generated once per data directory, so tokens outlive a restart.
/// </summary>
internal static class RealtimeSigningKey
{
    public const string FileName = "realtime-token.key";

    public static byte[] Resolve(RealtimeOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.TokenSigningKey is { } configured
            ? Convert.FromBase64String(configured)
            : LoadOrCreate(Path.Combine(dataDirectory, FileName));
    }

    /// <summary>The secret is made once per data directory, readable by the server's user only.</summary>
    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var secret = RandomNumberGenerator.GetBytes(RealtimeOptions.MinSigningKeyBytes);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var access = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            access.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new FileStream(path, access);
            file.Write(secret);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another server process on the same data directory wrote it first; use theirs.
            return File.ReadAllBytes(path);
        }
    }
}
