using System.Diagnostics;
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

    // The writer sleeps on this rather than on the channel's own wait: blocking on that spin-waits first, and at a
    // few hundred lone writes a second (a fleet's heartbeats) the spinning cost more CPU than the writes themselves.
    private readonly ManualResetEventSlim _arrived = new(initialState: false, spinCount: 0);
    private readonly SqliteConnection _connection;
    private readonly int _maxWritesPerCommit;
    private readonly TimeSpan _coalescingWindow;
    private readonly Thread _thread;
    private volatile bool _closed;

    internal GroupCommitWriter(SqliteConnection connection, int maxWritesPerCommit, TimeSpan coalescingWindow)
    {
        _connection = connection;
        _maxWritesPerCommit = maxWritesPerCommit;
        _coalescingWindow = coalescingWindow;
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
    public Task<T> WriteAsync<T>(Func<CommandCache, T> write, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteRequest<T>(write, mayWait: false, cancellationToken));

    /// <summary>
    /// <see cref="WriteAsync{T}"/> for a write whose caller is in no hurry: it may wait up to the coalescing window
    /// for other writes to share its commit and fsync, and commits at once with the first write that may not.
    /// </summary>
    public Task<T> WriteCoalescedAsync<T>(Func<CommandCache, T> write, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteRequest<T>(write, mayWait: true, cancellationToken));

    public void Dispose()
    {
        _requests.Writer.TryComplete();
        _closed = true; // after the completion: every write accepted before it is already in the channel
        _arrived.Set();
        _thread.Join();
        _arrived.Dispose();
        Commands.Dispose();
        _connection.Dispose();
    }

    private Task<T> Enqueue<T>(WriteRequest<T> request)
    {
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The database is shut down.");
        }

        _arrived.Set();
        return request.Completion;
    }

    private void Run()
    {
        var batch = new List<WriteRequest>(_maxWritesPerCommit);
        var mustCommit = false;
        var heldSince = 0L;
        while (true)
        {
            // Reset before reading: a write that arrives after the last read sets the event again, so none is missed.
            _arrived.Reset();
            while (batch.Count < _maxWritesPerCommit && _requests.Reader.TryRead(out var request))
            {
                if (request.TryCancel())
                {
                    continue;
                }

                if (batch.Count == 0)
                {
                    heldSince = Stopwatch.GetTimestamp();
                }

                mustCommit |= !request.MayWait;
                batch.Add(request);
            }

            var shuttingDown = _closed;
            if (batch.Count == 0)
            {
                if (shuttingDown)
                {
                    return;
                }

                _arrived.Wait();
                continue;
            }

            var left = _coalescingWindow - Stopwatch.GetElapsedTime(heldSince);
            if (mustCommit || shuttingDown || batch.Count >= _maxWritesPerCommit || left <= TimeSpan.Zero)
            {
                Commit(batch);
                batch.Clear();
                mustCommit = false;
                continue;
            }

            _arrived.Wait(left);
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

    private abstract class WriteRequest(bool mayWait)
    {
        public bool MayWait { get; } = mayWait;

        public abstract bool TryCancel();

        public abstract void Execute(CommandCache commands);

        public abstract void Succeed();

        public abstract void Fail(Exception error);
    }

    private sealed class WriteRequest<T>(Func<CommandCache, T> write, bool mayWait, CancellationToken cancellationToken) : WriteRequest(mayWait)
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
