using System.Net.Http.Headers;
using Azure.Core;

namespace Workforce.Storage.Azure.Rest;

/// <summary>
/// Microsoft Entra ID authorization: a bearer token for the storage audience from any <see cref="TokenCredential"/>
/// (managed identity in Azure, <c>DefaultAzureCredential</c> elsewhere), fetched once and renewed before it expires.
/// </summary>
internal sealed class TokenAuthentication(TokenCredential credential, TimeProvider clock) : StorageAuthentication, IDisposable
{
    private static readonly TokenRequestContext StorageScope = new(["https://storage.azure.com/.default"]);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _renewal = new(1, 1);
    private AccessToken _token;

    public override async ValueTask AuthorizeAsync(HttpRequestMessage request, StorageService service, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
    }

    public async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (IsFresh(_token))
        {
            return _token.Token;
        }

        await _renewal.WaitAsync(cancellationToken);
        try
        {
            if (!IsFresh(_token))
            {
                _token = await credential.GetTokenAsync(StorageScope, cancellationToken);
            }

            return _token.Token;
        }
        finally
        {
            _renewal.Release();
        }
    }

    public void Dispose() => _renewal.Dispose();

    private bool IsFresh(AccessToken token) => token.Token is not null && token.ExpiresOn - RenewBefore > clock.GetUtcNow();
}
