namespace Workforce.Testing.PayPal;

/// <summary>Money the fake PayPal took: a renewal of the plan fee or a capture of an outstanding balance.</summary>
public sealed record FakePayPalCharge(string CaptureId, string SubscriptionId, decimal Amount, string CurrencyCode, string Kind, string? RequestId, DateTimeOffset Time);

public sealed record FakePayPalRefund(string RefundId, string CaptureId, decimal Amount, string CurrencyCode, string? RequestId, DateTimeOffset Time);

/// <summary>One request as the fake received it, with what it answered (0 while the answer is being held back).</summary>
public sealed record FakePayPalRequest(string Method, string PathAndQuery, string? RequestId, DateTimeOffset ReceivedAt)
{
    public int Status { get; internal set; }
}

/// <summary>A webhook event the fake raised on a state change, waiting to be delivered (in any order, any number of times).</summary>
public sealed record FakePayPalEvent(string Id, string EventType, string ResourceId, string Body);

/// <summary>One delivery of an event to a listener: the transmission headers sent and the listener's answer.</summary>
public sealed record FakePayPalDelivery(FakePayPalEvent Event, string TransmissionId, IReadOnlyDictionary<string, string> Headers, string Body, int ListenerStatus);

/// <summary>How a delivery is spoiled on its way, for the tests of signature checks.</summary>
public enum FakeWebhookTampering
{
    None,

    /// <summary>The body is changed after it was signed.</summary>
    Body,

    /// <summary>The signature header is replaced by another, well-formed one.</summary>
    Signature,
}
