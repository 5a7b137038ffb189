namespace Workforce.Testing.Twilio;

/// <summary>
/// A message the fake took on (answered 201): what the phone at <see cref="To"/> would receive, in
/// <see cref="NumSegments"/> segments (Twilio's answer says 0 through a Messaging Service, before a sender is chosen).
/// </summary>
public sealed record FakeTwilioMessage(string Sid, string To, string? From, string? MessagingServiceSid, string Body, int NumSegments, string Status, DateTimeOffset DateCreated);

/// <summary>
/// One request as the fake received it: the basic-auth user name (null without basic auth), the form fields (a field
/// given more than once has its values joined by commas), and what it answered (0 while it holds the answer back).
/// </summary>
public sealed record FakeTwilioRequest(string Method, string Path, string? User, IReadOnlyDictionary<string, string> Form, DateTimeOffset ReceivedAt)
{
    public int Status { get; internal set; }
}
