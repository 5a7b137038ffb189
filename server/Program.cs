using Microsoft.Extensions.Options;
using Workforce.Core.Storage;
using Workforce.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkforceServer();

var app = builder.Build();
app.UseWorkforceDocs();
app.UseWorkforceServer();

try
{
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is OptionsValidationException or StorageUnavailableException)
{
    // Configuration and storage mistakes are the user's to fix; say what is wrong without a stack trace.
    await Console.Error.WriteLineAsync($"Workforce cannot start: {e.Message}");
    return 1;
}

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
