namespace Mtls.Client.Online;

/// <summary>
/// What a <see cref="RenewalDaemon"/> runs with. The defaults are the production ones; tests inject the
/// clock, the randomness, the waiting and the renewal itself.
/// </summary>
public sealed record RenewalDaemonOptions
{
    /// <summary>The renewal to repeat (its <see cref="RenewalRequest.IgnoreSchedule"/> is set by the daemon, which keeps the schedule).</summary>
    public required RenewalRequest Request { get; init; }

    /// <summary>The part of its lifetime after which a certificate is renewed (default 2/3, as step-ca and cert-manager).</summary>
    public double RenewAt { get; init; } = 2.0 / 3;

    /// <summary>
    /// The spread around <see cref="RenewAt"/>, as a part of it (default 0.1: 2/3 becomes 60%-73% of the
    /// lifetime), so that certificates issued together are not renewed together.
    /// </summary>
    public double Jitter { get; init; } = 0.1;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A number in [0, 1) for the jitter and the backoff.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>Waits until the time given (or the token is cancelled). Default: <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> on <see cref="Time"/>.</summary>
    public Func<DateTimeOffset, CancellationToken, Task>? WaitUntil { get; init; }

    /// <summary>One renewal attempt (default <see cref="CertificateRenewal.RenewOnceAsync"/>).</summary>
    public Func<RenewalRequest, CancellationToken, Task<RenewalOutcome>> Renew { get; init; } = CertificateRenewal.RenewOnceAsync;

    /// <summary>Run after each renewal once the files are written (the CLI's --exec).</summary>
    public Func<DaemonStep, CancellationToken, Task>? AfterRenewal { get; init; }

    /// <summary>Where each step goes (one log line each).</summary>
    public Action<DaemonStep> Log { get; init; } = _ => { };
}
