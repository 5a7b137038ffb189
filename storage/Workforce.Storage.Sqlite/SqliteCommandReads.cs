using Microsoft.Data.Sqlite;

namespace Workforce.Storage.Sqlite;

public static class SqliteCommandReads
{
    public static T? ReadOne<T>(this SqliteCommand command, Func<SqliteDataReader, T> read)
        where T : class
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? read(reader) : null;
    }

    public static List<T> ReadAll<T>(this SqliteCommand command, Func<SqliteDataReader, T> read)
    {
        using var reader = command.ExecuteReader();
        var items = new List<T>();
        while (reader.Read())
        {
            items.Add(read(reader));
        }

        return items;
    }
}
