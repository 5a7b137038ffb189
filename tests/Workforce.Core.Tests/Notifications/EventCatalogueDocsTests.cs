using Workforce.Core.Notifications;
using Workforce.Testing;

namespace Workforce.Core.Tests.Notifications;

/// <summary>docs/notifications.md is where tenants choose the events they subscribe to; it must list the catalogue as it is.</summary>
public sealed class EventCatalogueDocsTests
{
    [Fact]
    public void The_events_table_lists_every_event_with_its_level_and_fields()
    {
        var rows = File.ReadLines(Path.Combine(ServerProcess.RepositoryRoot(), "docs", "notifications.md"))
            .SkipWhile(line => line != "## Events")
            .Skip(1)
            .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(cells => cells[1].Trim('`'), cells => (Level: cells[2], Fields: cells[^2]));

        Assert.All(NotificationEvents.All, definition =>
        {
            Assert.True(rows.TryGetValue(definition.Type, out var row), $"{definition.Type} is missing from the table");
            Assert.Equal(definition.Level.ToString().ToLowerInvariant(), row.Level);
            Assert.Equal(string.Join(", ", definition.Fields), row.Fields);
        });
    }
}
