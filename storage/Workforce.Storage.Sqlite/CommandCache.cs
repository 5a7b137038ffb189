using Microsoft.Data.Sqlite;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// Prepared statements kept for the life of one connection. Preparing a statement costs more than running a
/// small one, and the writer runs the same few statements many thousands of times a second.
/// </summary>
public sealed class CommandCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    public SqliteCommand Get(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            command.Prepare();
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
