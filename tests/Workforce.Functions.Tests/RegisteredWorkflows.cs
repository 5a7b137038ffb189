using Microsoft.DurableTask;
using Workforce.Orchestrations;

namespace Workforce.Functions.Tests;

/// <summary>The names of the orchestrators and activities every host registers, as AddWorkforceWorkflows registers them.</summary>
internal static class RegisteredWorkflows
{
    private static readonly DurableTaskRegistry Registry = new DurableTaskRegistry().AddWorkforceWorkflows();

    public static IReadOnlyList<string> Orchestrators { get; } = [.. Registry.GetOrchestrators().Select(o => o.Key.Name).Order()];

    public static IReadOnlyList<string> Activities { get; } = [.. Registry.GetActivities().Select(a => a.Key.Name).Order()];
}
