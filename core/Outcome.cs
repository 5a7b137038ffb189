namespace Workforce.Core;

/// <summary>Why a use case refused a request. Hosts map each kind to one HTTP status.</summary>
public enum FailureKind
{
    Invalid,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,

    /// <summary>The body is in a form the server does not read: not JSON, compressed, or in an unknown charset.</summary>
    UnsupportedMediaType,
    Unprocessable,
    QueueFull,

    /// <summary>A quota of the subscription is used up (429, type …/quota-exceeded, with the meter, use and limit).</summary>
    QuotaExceeded,

    /// <summary>The request's precondition (<c>If-Match</c>) does not hold: the resource changed since the caller read it (412).</summary>
    PreconditionFailed,
}

/// <summary>A refused request: what kind of refusal, and a sentence the caller can act on.</summary>
public sealed record Failure(FailureKind Kind, string Detail)
{
    /// <summary>Field-level messages for <see cref="FailureKind.Invalid"/>, keyed by the JSON property name.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>When the caller may try again, for <see cref="FailureKind.QueueFull"/> and <see cref="FailureKind.QuotaExceeded"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A URI naming the kind of problem more precisely than the status (RFC 9457 <c>type</c>).</summary>
    public string? Type { get; init; }

    /// <summary>Members the problem carries beside its standard ones (RFC 9457 extension members).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public static Failure Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(FailureKind.Invalid, "The request has invalid fields; see errors.") { Errors = errors };

    public static Failure Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static Failure NotFound(string what) => new(FailureKind.NotFound, $"{what} was not found.");

    public static Failure Forbidden(string detail) => new(FailureKind.Forbidden, detail);

    public static Failure Conflict(string detail) => new(FailureKind.Conflict, detail);
}

/// <summary>Either the value a use case produced or the <see cref="Failure"/> that stopped it.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    public static Outcome<T> Success(T value) => new(value, null);

    public static Outcome<T> Fail(Failure failure) => new(default, failure);

    public static implicit operator Outcome<T>(T value) => Success(value);

    public static implicit operator Outcome<T>(Failure failure) => Fail(failure);
}
