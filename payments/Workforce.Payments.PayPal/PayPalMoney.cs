using System.Globalization;
using Workforce.Core.Plans;

namespace Workforce.Payments.PayPal;

/// <summary>
/// An amount as PayPal's <c>money</c> object carries it: an ISO-4217 currency code and a decimal string with the
/// currency's own number of decimals ("49.00" USD, "4900" JPY). Never a binary floating-point number.
/// </summary>
public readonly record struct PayPalMoney
{
    public PayPalMoney(string currencyCode, decimal value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currencyCode);
        if (currencyCode.Length != 3 || !currencyCode.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException($"'{currencyCode}' is not an ISO-4217 currency code.", nameof(currencyCode));
        }

        var decimals = DecimalsOf(currencyCode);
        if (decimal.Round(value, decimals) != value)
        {
            throw new ArgumentException($"{value} {currencyCode} has more than {decimals} decimals.", nameof(value));
        }

        CurrencyCode = currencyCode;
        Value = value;
    }

    public string CurrencyCode { get; }

    public decimal Value { get; }

    /// <summary>The value as PayPal expects it: invariant, with exactly the currency's decimals.</summary>
    public string WireValue => Value.ToString("F" + DecimalsOf(CurrencyCode).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// PayPal takes HUF, JPY and TWD without decimals (developer.paypal.com, "Currency codes"); billing's own rule
    /// (<see cref="Money.DecimalsOf"/>) includes them, so amounts billed are amounts PayPal takes.
    /// </summary>
    public static int DecimalsOf(string currencyCode) => Money.DecimalsOf(currencyCode);

    /// <summary>Reads PayPal's <c>value</c> string ("49.00", "100", "-1.5") without going through a double.</summary>
    public static PayPalMoney Parse(string currencyCode, string value) =>
        new(currencyCode, decimal.Parse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));

    public override string ToString() => $"{WireValue} {CurrencyCode}";
}
