namespace Workforce.Agent;

/// <summary>
/// Thrown by a handler when retrying cannot help (bad input, a permanent refusal): the task fails for good. Any
/// other exception fails the attempt retryably, and the server retries it with backoff while attempts are left.
/// </summary>
public class NonRetryableException : Exception
{
    public NonRetryableException()
    {
    }

    public NonRetryableException(string message)
        : base(message)
    {
    }

    public NonRetryableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
