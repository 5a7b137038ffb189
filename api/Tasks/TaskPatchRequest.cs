using System.Text.Json;
using System.Text.Json.Serialization;
using Workforce.Core;
using Workforce.Core.Tasks;

namespace Workforce.Api.Tasks;

/// <summary>
/// The body of <c>PATCH /api/v1/tasks/{id}</c>: a JSON merge patch (RFC 7396, <c>application/merge-patch+json</c>;
/// <c>application/json</c> is read the same way). A member left out stays as it is, a member set to null is
/// removed (a payload, the deadline, the required capabilities; a priority cannot be removed), and any other value
/// replaces the member whole — a payload included, which is an opaque value here, not merged member by member.
/// Each setter notes that its member was present, which is how a null that removes is told from a member left out.
/// </summary>
public sealed class TaskPatchRequest
{
    private TaskPriority? _priority;
    private RawJson? _payload;
    private IReadOnlyList<string>? _requiredCapabilities;
    private DateTimeOffset? _deadline;
    private bool _setsPriority;
    private bool _setsPayload;
    private bool _setsRequiredCapabilities;
    private bool _setsDeadline;

    public TaskPriority? Priority
    {
        get => _priority;
        set => (_priority, _setsPriority) = (value, true);
    }

    public RawJson? Payload
    {
        get => _payload;
        set => (_payload, _setsPayload) = (value, true);
    }

    public IReadOnlyList<string>? RequiredCapabilities
    {
        get => _requiredCapabilities;
        set => (_requiredCapabilities, _setsRequiredCapabilities) = (value, true);
    }

    public DateTimeOffset? Deadline
    {
        get => _deadline;
        set => (_deadline, _setsDeadline) = (value, true);
    }

    /// <summary>Members a patch cannot change (type, timeoutSeconds, maxRetries, state …), refused by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Others { get; set; }

    /// <summary>The command, or the refusal of members that cannot change.</summary>
    public Outcome<UpdateTaskCommand> ToCommand(int? expectedRevision)
    {
        if (Others is { Count: > 0 } others)
        {
            var errors = new FieldErrors();
            foreach (var name in others.Keys)
            {
                errors.Add(name, $"{name} cannot be changed; a patch may set {string.Join(", ", UpdateTaskCommand.Fields)}. For other changes, cancel the task and submit it again.");
            }

            return errors.ToFailure();
        }

        return new UpdateTaskCommand(
            _setsPriority ? new(_priority) : null,
            _setsPayload ? new(_payload) : null,
            _setsRequiredCapabilities ? new(_requiredCapabilities) : null,
            _setsDeadline ? new(_deadline) : null,
            expectedRevision);
    }
}
