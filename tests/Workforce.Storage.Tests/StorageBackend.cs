using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Storage.Tests;

/// <summary>A storage backend under test: fresh, empty stores for one test, torn down after it.</summary>
public interface IStorageBackend : IAsyncDisposable
{
    IWorkforceStore Store { get; }

    ITenantDirectory Directory { get; }

    /// <summary>Closes the stores and opens them again on the same data, as a restart would.</summary>
    Task ReopenAsync();
}
