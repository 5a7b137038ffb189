using Workforce.Core.Storage;
using Workforce.Core.Tenants;

namespace Workforce.Core.Agents;

public sealed record RegisterAgentCommand(
    string? Name,
    IReadOnlyList<string>? Capabilities = null,
    int? Capacity = null,
    AgentRole? Role = null,
    RawJson? Metadata = null)
{
    public const int MaxNameLength = 200;
    public const int MaxMetadataBytes = 16 * 1024;
}

/// <summary>The new agent and the key that lets it act as itself, shown this once.</summary>
public sealed record RegisteredAgent(Agent Agent, string AgentKey);

/// <summary>Registers a worker agent for a tenant and issues its agent key.</summary>
public sealed class RegisterAgent(IWorkforceStore store, AgentChangeFeed changes, TimeProvider clock)
{
    public async Task<Outcome<RegisteredAgent>> ExecuteAsync(Caller caller, RegisterAgentCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (caller.IsAgent)
        {
            return Failures.AgentKeyNotAllowed;
        }

        var errors = Validate(command);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var now = clock.GetUtcNow();
        var agent = new Agent
        {
            Id = Guid.CreateVersion7(now),
            TenantId = caller.TenantId,
            Name = command.Name!.Trim(),
            Role = command.Role ?? AgentRole.Operational,
            Capabilities = Core.Capabilities.Normalize(command.Capabilities),
            Capacity = command.Capacity ?? 1,
            LastHeartbeatAt = now,
            Metadata = command.Metadata,
            RegisteredAt = now,
        };
        var agentKey = ApiKeys.NewAgentKey();
        await store.TransactAsync(caller.TenantId, tx =>
        {
            tx.Add(agent, ApiKeys.Hash(agentKey));
            return ValueTask.FromResult(agent);
        }, cancellationToken);
        changes.Publish(caller.TenantId, agent.Id);
        return new RegisteredAgent(agent, agentKey);
    }

    private static FieldErrors Validate(RegisterAgentCommand command)
    {
        var errors = new FieldErrors();
        errors.Require(!string.IsNullOrWhiteSpace(command.Name) && command.Name.Trim().Length <= RegisterAgentCommand.MaxNameLength,
            "name", $"Give the agent a name of 1 to {RegisterAgentCommand.MaxNameLength} characters.");
        errors.Require(command.Capacity is null or (>= 1 and <= Agent.MaxCapacity),
            "capacity", $"capacity must be between 1 and {Agent.MaxCapacity}.");
        errors.Require(command.Role is null || Enum.IsDefined(command.Role.Value),
            "role", "role must be one of strategic, tactical, operational.");
        if (Core.Capabilities.Check(command.Capabilities) is { } capabilityError)
        {
            errors.Add("capabilities", capabilityError);
        }

        if (command.Metadata is { } metadata)
        {
            errors.Require(metadata.Kind == System.Text.Json.JsonValueKind.Object && metadata.Utf8Length <= RegisterAgentCommand.MaxMetadataBytes,
                "metadata", $"metadata must be a JSON object of at most {RegisterAgentCommand.MaxMetadataBytes / 1024} KiB.");
        }

        return errors;
    }
}
