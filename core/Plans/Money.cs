using System.Globalization;

namespace Workforce.Core.Plans;

/// <summary>
/// An amount in a currency. Decimal, never floating point; amounts of different currencies never mix. Invoices carry
/// minor units (cents; whole yen), rounded half away from zero only when an amount is billed.
/// </summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    // ISO 4217's currencies without minor units, and HUF and TWD, which PayPal takes only in whole units: an invoice
    // in them is billed in whole units, so that what is invoiced is what can be charged.
    private static readonly HashSet<string> WholeUnitCurrencies = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "HUF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "TWD", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    public static Money Zero(string currency) => new(0m, currency);

    public bool IsZero => Amount == 0m;

    /// <summary>The amount in the currency's smallest billed unit: cents for most, whole units for JPY and its like.</summary>
    public long MinorUnits => (long)decimal.Round(Amount * UnitsPerMajor(Currency), 0, MidpointRounding.AwayFromZero);

    public static Money FromMinorUnits(long minorUnits, string currency) => new(minorUnits / UnitsPerMajor(currency), currency);

    /// <summary>How many decimals the currency is billed with: 2, or 0 for JPY and its like.</summary>
    public static int DecimalsOf(string currency) => WholeUnitCurrencies.Contains(currency) ? 0 : 2;

    private static decimal UnitsPerMajor(string currency) => DecimalsOf(currency) == 0 ? 1m : 100m;

    public static Money operator +(Money left, Money right) => new(left.Amount + SameCurrency(left, right).Amount, left.Currency);

    public static Money operator -(Money left, Money right) => new(left.Amount - SameCurrency(left, right).Amount, left.Currency);

    public static Money operator *(Money money, decimal factor) => new(money.Amount * factor, money.Currency);

    public Money Add(Money other) => this + other;

    public Money Subtract(Money other) => this - other;

    public Money Multiply(decimal factor) => this * factor;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Amount.ToString(DecimalsOf(Currency) == 0 ? "0.##" : "0.00##", CultureInfo.InvariantCulture)} {Currency}");

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency ? right : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
