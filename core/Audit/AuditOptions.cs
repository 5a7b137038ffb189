using System.ComponentModel.DataAnnotations;

namespace Workforce.Core.Audit;

/// <summary>How the audit log is kept (<c>Workforce:Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Workforce:Audit";

    /// <summary>Entries are deleted by the cleanup job this long after they were recorded.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Whether state-changing requests are recorded at all.</summary>
    public bool Enabled { get; set; } = true;
}
