using System.Diagnostics;

namespace Workforce.Server.Tests.Observability;

/// <summary>Prometheus's own checker, from Debian's prometheus package (test.sh installs it).</summary>
public static class Promtool
{
    public static string? Path { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => System.IO.Path.Combine(folder, "promtool"))
        .FirstOrDefault(File.Exists);

    /// <summary>Skips the calling test without promtool, unless test.sh, which installs it, says it must be there.</summary>
    public static void SkipUnlessInstalled()
    {
        if (Path is null)
        {
            Assert.False(Environment.GetEnvironmentVariable("WORKFORCE_TEST_REQUIRE_PROMTOOL") == "1", "promtool is required but not on PATH");
            Assert.Skip("promtool is not installed (test.sh installs Debian's prometheus package)");
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string? stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("promtool is not installed"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await errors);
    }
}
