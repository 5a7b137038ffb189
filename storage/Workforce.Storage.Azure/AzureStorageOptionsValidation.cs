using Microsoft.Extensions.Options;

namespace Workforce.Storage.Azure;

/// <summary>Checks at start-up that the account is described exactly once and that a connection string parses.</summary>
internal sealed class AzureStorageOptionsValidation : IValidateOptions<AzureStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasAccountName = !string.IsNullOrWhiteSpace(options.AccountName);
        if (hasConnectionString == hasAccountName)
        {
            return ValidateOptionsResult.Fail(
                "With Workforce:Storage:Provider=azure, set either Workforce:Storage:ConnectionString (e.g. UseDevelopmentStorage=true for Azurite) " +
                "or Workforce:Storage:AccountName (reached with an Entra ID token), not both and not neither.");
        }

        if (hasConnectionString)
        {
            try
            {
                StorageAccount.Parse(options.ConnectionString!);
            }
            catch (FormatException e)
            {
                return ValidateOptionsResult.Fail($"Workforce:Storage:ConnectionString is not a valid Azure Storage connection string: {e.Message}");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
