namespace Workforce.Core.Tenants;

/// <summary>An isolated customer of the platform: its agents, tasks and keys are invisible to every other tenant.</summary>
public sealed record Tenant(string Id, string Name, DateTimeOffset CreatedAt)
{
    public const string DefaultId = "default";

    public const int MaxNameLength = 100;
}
