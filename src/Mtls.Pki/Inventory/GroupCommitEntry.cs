using System.Data.Common;

namespace Mtls.Pki.Inventory;

/// <summary>
/// One caller's write waiting in a <see cref="GroupCommit"/>: its action, how to open a connection should
/// it lead the batch, and, once the batch's COMMIT returned, its result or its exception. The caller
/// waits on <see cref="Signal"/>, set when the entry is complete or when it has been made the next leader.
/// </summary>
internal sealed class GroupCommitEntry(Func<DbConnection, DbTransaction, object?> action, Func<DbConnection> open, Func<DbConnection, DbTransaction> begin)
{
    public Func<DbConnection, DbTransaction, object?> Action { get; } = action;

    public Func<DbConnection> Open { get; } = open;

    public Func<DbConnection, DbTransaction> Begin { get; } = begin;

    public ManualResetEventSlim Signal { get; } = new(false);

    /// <summary>Set (under the committer's lock) when this entry's caller is to lead the next batch.</summary>
    public bool Promoted { get; set; }

    public bool Completed { get; private set; }

    public object? Result { get; private set; }

    public Exception? Error { get; private set; }

    /// <summary>The action's outcome, kept until the batch's COMMIT decides it.</summary>
    public object? Pending { get; set; }

    public Exception? PendingError { get; set; }

    public void Complete(object? result, Exception? error)
    {
        Result = result;
        Error = error;
        Completed = true;
    }
}
