namespace Workforce.Server;

/// <summary>
/// The documented environment variables, mapped onto the configuration keys the options bind from, so that
/// <c>WORKFORCE_DATA_DIR=/data</c> and <c>Workforce__Storage__Sqlite__DataDirectory=/data</c> mean the same.
/// </summary>
internal static class EnvironmentAliases
{
    private static readonly (string Variable, string Key)[] Aliases =
    [
        ("WORKFORCE_DATA_DIR", "Workforce:Storage:Sqlite:DataDirectory"),
        ("WORKFORCE_BOOTSTRAP_API_KEY", "Workforce:Bootstrap:ApiKey"),
        ("WORKFORCE_ADMIN_KEY", "Workforce:Admin:ApiKey"),
    ];

    public static IConfigurationBuilder AddWorkforceEnvironmentAliases(this IConfigurationBuilder configuration) =>
        configuration.AddInMemoryCollection(
            Aliases
                .Select(alias => (alias.Key, Value: Environment.GetEnvironmentVariable(alias.Variable)))
                .Where(alias => !string.IsNullOrEmpty(alias.Value))
                .Select(alias => new KeyValuePair<string, string?>(alias.Key, alias.Value)));
}
