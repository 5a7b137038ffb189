using System.Globalization;

namespace Workforce.Core.Plans;

/// <summary>
/// An amount in a currency. Decimal, never floating point; amounts of different currencies never mix. Invoices carry
/// minor units (cents), rounded half away from zero only when an amount is billed.
/// </summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    public static Money Zero(string currency) => new(0m, currency);

    public bool IsZero => Amount == 0m;

    /// <summary>Whole cents (or the currency's minor unit, taken as hundredths).</summary>
    public long MinorUnits => (long)decimal.Round(Amount * 100m, 0, MidpointRounding.AwayFromZero);

    public static Money FromMinorUnits(long minorUnits, string currency) => new(minorUnits / 100m, currency);

    public static Money operator +(Money left, Money right) => new(left.Amount + SameCurrency(left, right).Amount, left.Currency);

    public static Money operator -(Money left, Money right) => new(left.Amount - SameCurrency(left, right).Amount, left.Currency);

    public static Money operator *(Money money, decimal factor) => new(money.Amount * factor, money.Currency);

    public Money Add(Money other) => this + other;

    public Money Subtract(Money other) => this - other;

    public Money Multiply(decimal factor) => this * factor;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount:0.00##} {Currency}");

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency ? right : throw new InvalidOperationException($"Cannot combine {left.Currency} with {right.Currency}.");
}
