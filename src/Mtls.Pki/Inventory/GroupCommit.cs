using System.Data.Common;
using System.Runtime.ExceptionServices;

namespace Mtls.Pki.Inventory;

/// <summary>
/// Group commit for one SQLite inventory file in this process: concurrent writers share one transaction
/// and so one COMMIT, one fdatasync. With synchronous=FULL each commit waits for the disk, and SQLite
/// has one writer per file, so one transaction per request capped the rate under concurrency at the
/// disk's sync rate (bench/RESULTS.md, "mtls ca serve vs step-ca", 10:16 UTC: 79 issuances/s at 32
/// clients, p99 1.1 s).
/// <para>
/// Leader and followers, no thread of its own: a caller queues its action; when no batch is running it
/// leads: it takes what is queued (at most <see cref="MaxBatch"/>), opens BEGIN IMMEDIATE once, runs
/// each action inside its own SAVEPOINT (released when the action returns, rolled back when it throws:
/// that exception goes to that caller only), COMMITs once and then hands every caller its result. A
/// COMMIT that fails fails every caller of its batch. Callers that queued meanwhile wait, and the first
/// of them leads the next batch. An action sees the writes of the actions before it in its batch (a
/// token redeemed twice in one batch: the second finds it used, as in two transactions). No caller
/// gets its result before the COMMIT that made it durable returned.
/// </para>
/// Other processes on the same file still take SQLite's write lock in turn (the busy timeout); the
/// rules hold by the database alone, this only orders and groups this process's writers.
/// </summary>
internal sealed class GroupCommit
{
    /// <summary>At most this many actions per transaction: bounds how long one batch holds the write lock.</summary>
    public const int MaxBatch = 64;

    private const string Savepoint = "mtls_action";

    [ThreadStatic] private static bool t_leading;

    private readonly object _sync = new();
    private readonly Queue<GroupCommitEntry> _queue = new();
    private bool _running;
    private long _commits;
    private long _actions;

    /// <summary>How many COMMITs (one per batch) this committer issued.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>How many actions ran in those batches.</summary>
    public long Actions => Interlocked.Read(ref _actions);

    /// <summary>Callers queued and not yet taken into a batch.</summary>
    public int Waiting
    {
        get { lock (_sync) return _queue.Count; }
    }

    /// <summary>
    /// Runs <paramref name="action"/> in a write transaction shared with concurrent callers; returns its
    /// result once that transaction committed. A database error (the action's own, or the batch's COMMIT)
    /// is thrown as <paramref name="explain"/> makes it; any other exception of the action as it was.
    /// </summary>
    public T Run<T>(Func<DbConnection, DbTransaction, T> action, Func<DbConnection> open, Func<DbConnection, DbTransaction> begin,
        Func<DbException, Exception> explain)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(explain);
        // A write inside a batch's action would wait for the batch it is part of.
        if (t_leading) throw new InvalidOperationException("An inventory write cannot start inside another inventory write.");
        var entry = new GroupCommitEntry((c, t) => action(c, t), open, begin);
        bool lead;
        lock (_sync)
        {
            _queue.Enqueue(entry);
            lead = !_running;
            _running = true;
        }
        if (!lead) entry.Signal.Wait(); // completed, or promoted to lead the next batch
        if (!entry.Completed) Lead();
        entry.Signal.Dispose();
        switch (entry.Error)
        {
            case null: return (T)entry.Result!;
            case DbException db: throw explain(db);
            case var error: ExceptionDispatchInfo.Throw(error); return default!;
        }
    }

    /// <summary>Runs one batch (this caller's entry is the head of the queue), completes it, hands the lead on.</summary>
    private void Lead()
    {
        List<GroupCommitEntry> batch;
        lock (_sync)
        {
            batch = new List<GroupCommitEntry>(Math.Min(_queue.Count, MaxBatch));
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var queued)) batch.Add(queued);
        }
        t_leading = true;
        try
        {
            Execute(batch);
        }
        finally
        {
            t_leading = false;
            lock (_sync)
            {
                if (_queue.TryPeek(out var next))
                {
                    next.Promoted = true;
                    next.Signal.Set();
                }
                else
                {
                    _running = false;
                }
            }
            for (var i = 1; i < batch.Count; i++) batch[i].Signal.Set(); // batch[0] is this caller
        }
    }

    private void Execute(List<GroupCommitEntry> batch)
    {
        Interlocked.Add(ref _actions, batch.Count);
        Exception? broken = null;
        try
        {
            using var connection = batch[0].Open();
            using var transaction = batch[0].Begin(connection);
            broken = batch.Count == 1 ? RunAlone(batch[0], connection, transaction) : RunInSavepoints(batch, connection, transaction);
            if (broken is null)
            {
                Interlocked.Increment(ref _commits);
                transaction.Commit();
            }
        }
        catch (Exception error)
        {
            broken ??= error; // open, BEGIN or COMMIT: the whole batch failed
        }
        foreach (var entry in batch)
            entry.Complete(broken is null ? entry.Pending : null, entry.PendingError ?? broken);
    }

    /// <summary>One action alone in its batch (no concurrency): no savepoint; when it fails, so does the transaction.</summary>
    private static Exception? RunAlone(GroupCommitEntry entry, DbConnection connection, DbTransaction transaction)
    {
        try
        {
            entry.Pending = entry.Action(connection, transaction);
            return null;
        }
        catch (Exception error)
        {
            return entry.PendingError = error;
        }
    }

    /// <summary>
    /// Each action in a savepoint of its own: one that throws is undone and the others go on. Returns the
    /// error that broke the whole transaction, or null.
    /// </summary>
    private static Exception? RunInSavepoints(List<GroupCommitEntry> batch, DbConnection connection, DbTransaction transaction)
    {
        foreach (var entry in batch)
        {
            transaction.Save(Savepoint);
            try
            {
                entry.Pending = entry.Action(connection, transaction);
                transaction.Release(Savepoint);
            }
            catch (Exception error)
            {
                entry.PendingError = error;
                try
                {
                    transaction.Rollback(Savepoint);
                    transaction.Release(Savepoint);
                }
                catch (Exception)
                {
                    // SQLite rolled the whole transaction back (disk full, I/O error): nothing of this
                    // batch stands, and every caller hears why.
                    return error;
                }
            }
        }
        return null;
    }
}
