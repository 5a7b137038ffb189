using Workforce.Core.Plans;

namespace Workforce.Payments.PayPal.Billing;

/// <summary>The platform's money as PayPal's, and back; both decimal, never a double.</summary>
internal static class PayPalAmounts
{
    public static PayPalMoney Of(Money money) => new(money.Currency, money.Amount);

    public static PayPalMoney OfMinorUnits(long minorUnits, string currency) => Of(Money.FromMinorUnits(minorUnits, currency));

    public static long MinorUnitsOf(PayPalMoney? money) => money is { } value ? new Money(value.Value, value.CurrencyCode).MinorUnits : 0;
}
