using Microsoft.Extensions.Options;
using Workforce.Core.Storage;
using Workforce.Server;
using Workforce.Server.Backups;
using Workforce.Storage.Sqlite;

if (args is [RestoreCommand.Name, .. var restoreArgs])
{
    // A command, not the server: it reads only the storage and backup settings, so its default data directory and
    // its backup container are the server's.
    var settings = new ConfigurationBuilder().AddEnvironmentVariables().AddWorkforceEnvironmentAliases().Build();
    var storage = settings.GetSection(SqliteStorageOptions.Section).Get<SqliteStorageOptions>() ?? new();
    var backups = settings.GetSection(BackupOptions.Section).Get<BackupOptions>() ?? new();
    return await RestoreCommand.RunAsync(restoreArgs, storage, backups, Console.Out, Console.Error);
}

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
