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
            .WithDescription("Takes a consistent copy of the SQLite database while the server serves, into the backup folder, " +
                "then deletes the oldest beyond Workforce:Backup:Keep. Answers when the backup is complete.")
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        backups.MapGet(Route, List)
            .WithSummary("List the backups, newest first (admin key)");
        return api;
    }

    private static async Task<Results<Created<BackupFile>, ProblemHttpResult>> TakeAsync(TakeBackup backup, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Created((string?)null, await backup.ExecuteAsync(cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            // The operator's to fix (a full disk, a folder the server may not write): say what happened.
            return TypedResults.Problem(title: "The backup failed", detail: e.Message, statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static Ok<BackupListResponse> List(BackupFolder folder, IOptions<BackupOptions> options) =>
        TypedResults.Ok(new BackupListResponse(folder.Path, options.Value.Keep, options.Value.Schedule, folder.List()));
}

/// <summary>The backup folder, its settings, and the backups in it, newest first.</summary>
public sealed record BackupListResponse(string Directory, int Keep, string Schedule, IReadOnlyList<BackupFile> Items);
