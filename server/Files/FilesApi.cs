using Microsoft.AspNetCore.Mvc;
using Workforce.Core;
using Workforce.Storage.Sqlite;

namespace Workforce.Server.Files;

/// <summary>
/// Serves the download links of the local blob store (the embedded stand-in for a SAS URL): no key, the link's
/// signature and expiry are the authorization. With Azure storage, links point at Blob Storage and this route finds
/// nothing.
/// </summary>
internal static class FilesApi
{
    public static RouteGroupBuilder MapFilesApi(this RouteGroupBuilder api)
    {
        api.MapGet(ApiRoutes.FileDownload, DownloadAsync)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return api;
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, [FromServices] FileSystemBlobStore? files, CancellationToken cancellationToken)
    {
        var link = new Uri(context.Request.Path + context.Request.QueryString, UriKind.Relative);
        if (files is null || await files.OpenLinkAsync(link, cancellationToken) is not { } download)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                detail: "This download link is not valid or has expired; ask for a new one.");
        }

        context.Response.RegisterForDisposeAsync(download);
        return TypedResults.Stream(download.Content, download.Blob.ContentType, lastModified: download.Blob.LastModified);
    }
}
