using System.Runtime.InteropServices;

namespace Mtls.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM as a cancellation token, so long-running commands (serve, workshop
/// --keep-running) stop their servers gracefully and exit 0 instead of being killed mid-way.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    public ShutdownSignal(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    public CancellationToken Token => _stop.Token;

    private void Stop(PosixSignalContext signal)
    {
        signal.Cancel = true; // handled here: keep the process alive until the servers have stopped
        _stop.Cancel();
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }
}
