using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Workforce.Storage.Sqlite;

/// <summary>
/// The only writer of the database. Writes queue up while the previous commit is being synced to disk and then
/// share one transaction and one fsync (group commit), so a request is acknowledged only once its change is
/// durable, without paying a disk sync per request. One thread runs every write, so writes never conflict.
/// </summary>
public sealed class GroupCommitWriter : IDisposable
{
    private readonly Channel<WriteRequest> _requests = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly int _maxWritesPerCommit;
    private readonly Thread _thread;

    internal GroupCommitWriter(SqliteConnection connection, int maxWritesPerCommit)
    {
        _connection = connection;
        _maxWritesPerCommit = maxWritesPerCommit;
        Commands = new CommandCache(connection);
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-group-commit" };
        _thread.Start();
    }

    /// <summary>
    /// Raised on the writer's thread after each commit with the number of writes it held (the metrics' batch size);
    /// a handler must be cheap, as the next commit waits for it.
    /// </summary>
    public event Action<int>? Committed;

    /// <summary>Prepared statements of the writer's connection; use only inside a write.</summary>
    public CommandCache Commands { get; }

    /// <summary>
    /// Runs <paramref name="write"/> in the next commit. It may run more than once when another write in its batch
    /// fails, so it must act only through the connection.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<CommandCache, T> write, CancellationToken cancellationToken = default)
    {
        var request = new WriteRequest<T>(write, cancellationToken);
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The database is shut down.");
        }

        return request.Completion;
    }

    public void Dispose()
    {
        _requests.Writer.TryComplete();
        _thread.Join();
        Commands.Dispose();
        _connection.Dispose();
    }

    private void Run()
    {
        var batch = new List<WriteRequest>(_maxWritesPerCommit);
        while (_requests.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < _maxWritesPerCommit && _requests.Reader.TryRead(out var request))
            {
                if (!request.TryCancel())
                {
                    batch.Add(request);
                }
            }

            Commit(batch);
        }
    }

    /// <summary>
    /// Runs the batch in one transaction. A write that throws is failed alone: the transaction is rolled back and
    /// the rest of the batch runs again without it.
    /// </summary>
    private void Commit(List<WriteRequest> batch)
    {
        while (batch.Count > 0)
        {
            Execute("BEGIN");
            var failed = -1;
            Exception? error = null;
            for (var i = 0; i < batch.Count && failed < 0; i++)
            {
                try
                {
                    batch[i].Execute(Commands);
                }
                catch (Exception e)
                {
                    (failed, error) = (i, e);
                }
            }

            if (failed >= 0)
            {
                Execute("ROLLBACK");
                batch[failed].Fail(error!);
                batch.RemoveAt(failed);
                continue;
            }

            try
            {
                Execute("COMMIT");
            }
            catch (SqliteException e)
            {
                TryRollback();
                batch.ForEach(request => request.Fail(e));
                return;
            }

            Committed?.Invoke(batch.Count);
            batch.ForEach(request => request.Succeed());
            return;
        }
    }

    private void TryRollback()
    {
        if (!_connection.AutoCommitMode())
        {
            Execute("ROLLBACK");
        }
    }

    private void Execute(string sql) => Commands.Get(sql).ExecuteNonQuery();

    private abstract class WriteRequest
    {
        public abstract bool TryCancel();

        public abstract void Execute(CommandCache commands);

        public abstract void Succeed();

        public abstract void Fail(Exception error);
    }

    private sealed class WriteRequest<T>(Func<CommandCache, T> write, CancellationToken cancellationToken) : WriteRequest
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Completion => _completion.Task;

        public override bool TryCancel() =>
            cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

        public override void Execute(CommandCache commands) => _result = write(commands);

        public override void Succeed() => _completion.TrySetResult(_result!);

        public override void Fail(Exception error) => _completion.TrySetException(error);
    }
}

internal static class SqliteConnectionState
{
    /// <summary>True when no transaction is open.</summary>
    public static bool AutoCommitMode(this SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;
}
