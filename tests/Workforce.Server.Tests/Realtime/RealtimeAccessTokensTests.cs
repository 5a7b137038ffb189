using Workforce.Api.Realtime;
using Workforce.Server.Realtime;
using Microsoft.Extensions.Time.Testing;

namespace Workforce.Server.Tests.Realtime;

public sealed class RealtimeAccessTokensTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void A_token_names_its_tenant_and_key_until_it_expires()
    {
        var tokens = Tokens(Secret(1));
        var (token, expiresAt) = tokens.Issue("acme", "key-hash");

        Assert.Equal(new RealtimeGrant("acme", "key-hash", expiresAt), tokens.Read(token));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(tokens.Read(token));
    }

    [Fact]
    public void A_token_signed_with_another_secret_or_altered_is_refused()
    {
        var (token, _) = Tokens(Secret(1)).Issue("acme", "key-hash");
        var (other, _) = Tokens(Secret(1)).Issue("other", "key-hash");
        var swapped = other[..other.IndexOf('.', StringComparison.Ordinal)] + token[token.IndexOf('.', StringComparison.Ordinal)..];

        Assert.Null(Tokens(Secret(2)).Read(token));
        Assert.Null(Tokens(Secret(1)).Read(swapped));
        Assert.Null(Tokens(Secret(1)).Read("not-a-token"));
    }

    [Fact]
    public void A_token_with_any_characters_in_place_of_its_last_two_is_refused_without_throwing()
    {
        var tokens = Tokens(Secret(1));
        var (token, _) = tokens.Issue("acme", "key-hash");
        const string Characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/!";

        var accepted = Characters.SelectMany(first => Characters.Select(second => token[..^2] + first + second))
            .Where(altered => altered != token && tokens.Read(altered) is not null)
            .ToList();

        Assert.Empty(accepted);
    }

    [Fact]
    public void Without_a_configured_key_one_is_generated_once_per_data_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "workforce-token-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var (token, _) = Tokens(null, directory).Issue("acme", "key-hash");

            Assert.NotNull(Tokens(null, directory).Read(token));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, RealtimeSigningKey.FileName)));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_configured_key_shorter_than_32_bytes_fails_validation()
    {
        var options = new RealtimeOptions { TokenSigningKey = Convert.ToBase64String(new byte[16]) };

        Assert.NotEmpty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }

    private static string Secret(byte fill) => Convert.ToBase64String(Enumerable.Repeat(fill, 32).ToArray());

    private RealtimeAccessTokens Tokens(string? secret, string? dataDirectory = null)
    {
        var options = new RealtimeOptions { TokenSigningKey = secret };
        return new(RealtimeSigningKey.Resolve(options, dataDirectory ?? "unused"), options.AccessTokenLifetime, _clock);
    }
}
