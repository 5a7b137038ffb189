using Moq;
using Workforce.Core.Tenants;
using Microsoft.Extensions.Time.Testing;

namespace Workforce.Core.Tests.Tenants;

public sealed class TenantBootstrapTests
{
    private readonly Mock<ITenantDirectory> _directory = new();
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task First_start_without_a_configured_key_generates_one_and_stores_its_hash()
    {
        _directory.Setup(d => d.TryCreateTenantAsync(It.IsAny<Tenant>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var generated = await new EnsureDefaultTenant(_directory.Object, _clock).ExecuteAsync(configuredKey: null);

        Assert.NotNull(generated);
        Assert.StartsWith(ApiKeys.TenantKeyPrefix, generated, StringComparison.Ordinal);
        _directory.Verify(d => d.TryCreateTenantAsync(
            It.Is<Tenant>(t => t.Id == Tenant.DefaultId), ApiKeys.Hash(generated), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Later_starts_without_a_configured_key_change_nothing()
    {
        _directory.Setup(d => d.FindTenantAsync(Tenant.DefaultId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Tenant(Tenant.DefaultId, "default", _clock.GetUtcNow()));

        var generated = await new EnsureDefaultTenant(_directory.Object, _clock).ExecuteAsync(configuredKey: null);

        Assert.Null(generated);
        _directory.Verify(d => d.TryCreateTenantAsync(It.IsAny<Tenant>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _directory.Verify(d => d.AddTenantKeyAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_configured_key_is_granted_to_an_existing_default_tenant()
    {
        _directory.Setup(d => d.FindTenantAsync(Tenant.DefaultId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Tenant(Tenant.DefaultId, "default", _clock.GetUtcNow()));

        var generated = await new EnsureDefaultTenant(_directory.Object, _clock).ExecuteAsync("my-key");

        Assert.Null(generated);
        _directory.Verify(d => d.AddTenantKeyAsync(Tenant.DefaultId, ApiKeys.Hash("my-key"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Creating_a_tenant_needs_a_name()
    {
        var outcome = await new CreateTenant(_directory.Object, _clock).ExecuteAsync(new CreateTenantCommand("  "));

        Assert.Equal(FailureKind.Invalid, outcome.Failure?.Kind);
        _directory.VerifyNoOtherCalls();
    }

    [Fact]
    public void Keys_are_random_and_hashes_are_stable()
    {
        var key = ApiKeys.NewTenantKey();

        Assert.NotEqual(key, ApiKeys.NewTenantKey());
        Assert.Equal(ApiKeys.Hash(key), ApiKeys.Hash(key));
        Assert.Equal(64, ApiKeys.Hash(key).Length);
    }
}
