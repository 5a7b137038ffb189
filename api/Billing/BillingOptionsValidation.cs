using Microsoft.Extensions.Options;
using Workforce.Core.Plans;

namespace Workforce.Api.Billing;

/// <summary>Refuses to start with a plan catalogue that cannot bill: each problem is named.</summary>
internal sealed class BillingOptionsValidation : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(p => $"{BillingOptions.Section}: {p}."));
    }
}
