using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Workforce.Api.Auth;

namespace Workforce.Server.Backups;

internal static class BackupsApi
{
    public const string Route = "v1/admin/backups";

    /// <summary>Backups of the server's database, for the holder of the admin key.</summary>
    public static RouteGroupBuilder MapBackupsApi(this RouteGroupBuilder api)
    {
        var backups = api.MapGroup("").RequireAuthorization(CallerClaims.AdminPolicy).WithTags("Backups")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        backups.MapPost(Route, TakeAsync)
            .WithSummary("Back up the database now (admin key)")
            .WithDescription("Takes a consistent copy of the SQLite database while the server serves and archives it with the files " +
                "beside it (stored files, key files) into the backup folder or Blob Storage container, then deletes the backups beyond " +
                "Workforce:Backup:Keep and Workforce:Backup:KeepDays. Answers when the backup is complete.")
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        backups.MapGet(Route, ListAsync)
            .WithSummary("List the backups, newest first (admin key)")
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return api;
    }

    private static async Task<Results<Created<BackupFile>, ProblemHttpResult>> TakeAsync(TakeBackup backup, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Created((string?)null, await backup.ExecuteAsync(cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException or Azure.RequestFailedException)
        {
            // The operator's to fix (a full disk, a folder the server may not write): say what happened.
            return TypedResults.Problem(title: "The backup failed", detail: e.Message, statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static async Task<Results<Ok<BackupListResponse>, ProblemHttpResult>> ListAsync(
        IBackupDestination destination, IOptions<BackupOptions> options, CancellationToken cancellationToken)
    {
        try
        {
            var settings = options.Value;
            return TypedResults.Ok(new BackupListResponse(destination.Kind, destination.Location, settings.Keep, settings.KeepDays, settings.Schedule,
                await destination.ListAsync(cancellationToken)));
        }
        catch (Azure.RequestFailedException e)
        {
            return TypedResults.Problem(title: "The backups cannot be listed", detail: e.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    }
}

/// <summary>The backup destination (<c>folder</c> or <c>blob</c>, its path or container URL), its settings, and the backups in it, newest first.</summary>
public sealed record BackupListResponse(string Destination, string Location, int Keep, int KeepDays, string Schedule, IReadOnlyList<BackupFile> Items);
