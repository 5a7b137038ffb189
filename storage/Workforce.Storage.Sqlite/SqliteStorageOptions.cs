using System.ComponentModel.DataAnnotations;

namespace Workforce.Storage.Sqlite;

public enum SqliteDurability
{
    /// <summary>fsync on every commit: survives power loss. The default.</summary>
    Full,

    /// <summary>fsync at checkpoints only: survives a process kill, may lose the last commits on power loss.</summary>
    Normal,
}

/// <summary>Bound from <c>Workforce:Storage:Sqlite</c>.</summary>
public sealed class SqliteStorageOptions
{
    public const string Section = "Workforce:Storage:Sqlite";

    /// <summary>The folder holding <see cref="FileName"/>; relative paths are relative to the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = ".workforce";

    [Required]
    public string FileName { get; set; } = "workforce.db";

    public SqliteDurability Durability { get; set; } = SqliteDurability.Full;

    /// <summary>
    /// The most writes one commit carries. Writes that arrive while a commit is being made to disk wait for the next
    /// one and share its fsync, which is what lets one disk sync acknowledge many requests.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxWritesPerCommit { get; set; } = 1_000;

    /// <summary>
    /// How long a write whose caller is in no hurry (a heartbeat) may wait for others to share its commit. A fleet's
    /// heartbeats then cost a few commits a second instead of one each; each is still durable before it is answered.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan CoalescingWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}
