using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Workforce.Testing;

/// <summary>
/// The real server as a separate process on a free loopback port, started from its own build output, so a test can
/// kill it hard and start it again on the same data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<ServerProcess> StartAsync(IDictionary<string, string> environment, CancellationToken cancellationToken = default) =>
        StartAsync(environment, new Uri($"http://127.0.0.1:{FreePort()}"), cancellationToken);

    /// <summary>On a given address: a restart on the address of the server it replaces, so its clients find it again.</summary>
    public static async Task<ServerProcess> StartAsync(IDictionary<string, string> environment, Uri address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(address);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ServerAssembly(), "--urls", address.ToString() },
            WorkingDirectory = Path.GetDirectoryName(ServerAssembly())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, address);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync(cancellationToken);
        return server;
    }

    /// <summary>The CPU time the server process has used so far, for cost-per-request figures that contention on a shared machine does not blur.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The server's working set now, in bytes.</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as a crash or an OOM kill would end it.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>The server's own build output, of the same configuration as the running tests.</summary>
    public static string ServerAssembly()
    {
        var testOutput = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var configuration = new DirectoryInfo(testOutput).Parent!.Name;
        var assembly = Path.Combine(RepositoryRoot(), "server", "bin", configuration, "net10.0", "Workforce.Server.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException("Build the server first.", assembly);
    }

    /// <summary>The folder holding Workforce.Functions.sln, above the running tests' output.</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Workforce.Functions.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException($"No Workforce.Functions.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A loopback port nothing listens on at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the redirected output, so the last lines are in Output
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                // The port came from FreePort, so another test's server may have taken it meanwhile and be the one
                // answering: healthy means this process says it listens there too.
                if ((await client.GetAsync(new Uri("/api/health", UriKind.Relative), cancellationToken)).IsSuccessStatusCode
                    && Output.Contains($"Now listening on: {Address.GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The server did not become healthy within 60 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
