using Mtls.Pki;
using Mtls.Pki.Certificates;

namespace Mtls.Client.Online;

/// <summary>
/// Keeps a certificate renewed (`mtls cert renew --daemon`): waits until about <see cref="RenewalDaemonOptions.RenewAt"/>
/// of its lifetime (jittered once per certificate), renews with <see cref="CertificateRenewal"/> (files written
/// atomically, the key first on a rekey), runs the after-renewal hook, and schedules the next one from the new
/// certificate. A failure that may heal (no answer, HTTP 429 or 5xx) is retried with capped, jittered
/// exponential backoff; a refusal that cannot heal (any other problem: revoked, not issued here, superseded,
/// expired past the grace...) or an unreadable certificate ends the run. Cancelling the token stops it cleanly.
/// </summary>
public sealed class RenewalDaemon(RenewalDaemonOptions options)
{
    private readonly RenewalDaemonOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Runs until cancelled (returns the <see cref="DaemonStepKind.Stopped"/> step) or a refusal that cannot heal (<see cref="DaemonStepKind.GaveUp"/>).</summary>
    public async Task<DaemonStep> RunAsync(CancellationToken ct)
    {
        var request = _options.Request with { IgnoreSchedule = true };
        var (serial, notAfter, next) = Schedule(request.CertificatePath);
        var step = Emit(new DaemonStep(DaemonStepKind.Started, Now, request.CertificatePath, serial, notAfter, next));
        var attempt = 0;
        while (true)
        {
            try
            {
                await WaitUntilAsync(next, ct);
                var outcome = await _options.Renew(request, ct);
                ct.ThrowIfCancellationRequested();
                switch (outcome.Kind)
                {
                    case RenewalOutcomeKind.Renewed:
                        attempt = 0;
                        // With --out/--key-out the renewed files are the ones to renew from now on.
                        request = request with
                        {
                            CertificatePath = request.OutPath ?? request.CertificatePath,
                            KeyPath = request.KeyOutPath ?? request.KeyPath,
                            OutPath = null,
                            KeyOutPath = null,
                        };
                        (serial, notAfter, next) = Schedule(request.CertificatePath);
                        step = Emit(new DaemonStep(DaemonStepKind.Renewed, Now, request.CertificatePath, serial, notAfter, next));
                        if (_options.AfterRenewal is { } hook) await hook(step, ct);
                        break;
                    case RenewalOutcomeKind.NotDueYet: // not asked for (the daemon keeps the schedule); wait as told
                        next = outcome.DueAt ?? Now;
                        break;
                    case RenewalOutcomeKind.Refused when !MayHeal(outcome):
                        return Emit(new DaemonStep(DaemonStepKind.GaveUp, Now, request.CertificatePath, serial, notAfter,
                            Reason: outcome.Reason, Problem: outcome.Problem));
                    default:
                        attempt++;
                        next = Now + RenewalBackoff.For(Lifetime(request.CertificatePath)).Delay(attempt, _options.Random());
                        step = Emit(new DaemonStep(DaemonStepKind.Retrying, Now, request.CertificatePath, serial, notAfter, next, attempt,
                            outcome.Reason, outcome.Problem));
                        break;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return Emit(new DaemonStep(DaemonStepKind.Stopped, Now, request.CertificatePath, serial, notAfter, next));
            }
            catch (MtlsException e)
            {
                // The certificate or key cannot be read (or written): nothing a retry would mend by itself.
                return Emit(step with { Kind = DaemonStepKind.GaveUp, At = Now, Reason = e.Message, Problem = null, Next = null });
            }
        }
    }

    /// <summary>Whether a failed attempt is worth retrying: no answer, or the CA busy (5xx) or refusing a storm (429).</summary>
    public static bool MayHeal(RenewalOutcome outcome) => outcome.Kind switch
    {
        RenewalOutcomeKind.Unreachable => true,
        RenewalOutcomeKind.Refused => outcome.Problem is { Status: 429 or >= 500 },
        _ => false,
    };

    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private DateTimeOffset Now => _options.Time.GetUtcNow();

    /// <summary>The certificate's serial and expiry, and when to renew it: at <see cref="RenewalDaemonOptions.RenewAt"/> of its life, jittered.</summary>
    private (string Serial, DateTimeOffset NotAfter, DateTimeOffset Next) Schedule(string path)
    {
        using var certificate = CertificateFile.Load(path);
        var spread = _options.Jitter * (2 * _options.Random() - 1);
        var fraction = Math.Clamp(_options.RenewAt * (1 + spread), 0.01, 0.99);
        return (Convert.ToHexString(certificate.SerialNumberBytes.Span), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            CertificateRenewal.DueAt(certificate, fraction));
    }

    private static TimeSpan Lifetime(string path)
    {
        using var certificate = CertificateFile.Load(path);
        return CertificateRenewal.DueAt(certificate, 1) - CertificateRenewal.DueAt(certificate, 0);
    }

    private async Task WaitUntilAsync(DateTimeOffset until, CancellationToken ct)
    {
        if (_options.WaitUntil is { } wait)
        {
            await wait(until, ct);
            return;
        }
        // Timers may fire a little early, and Task.Delay takes at most ~49 days: wait again for the rest.
        for (var left = until - Now; left > TimeSpan.Zero; left = until - Now)
            await Task.Delay(left < MaxWait ? left : MaxWait, _options.Time, ct);
        ct.ThrowIfCancellationRequested();
    }

    private DaemonStep Emit(DaemonStep step)
    {
        _options.Log(step);
        return step;
    }
}
