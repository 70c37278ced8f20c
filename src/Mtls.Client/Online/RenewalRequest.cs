namespace Mtls.Client.Online;

/// <summary>
/// One renewal to attempt: the current certificate and key files, the CA, where to write the result
/// (<see cref="OutPath"/>: the certificate file itself by default, replaced atomically), a new key or not,
/// and whether to ask even before the certificate is due.
/// </summary>
public sealed record RenewalRequest
{
    public required string CertificatePath { get; init; }
    public required string KeyPath { get; init; }
    public string? KeyPassword { get; init; }
    public required Uri CaUrl { get; init; }
    public required CaTrust Trust { get; init; }
    public string? OutPath { get; init; }

    /// <summary>Where a new key goes with <see cref="Rekey"/> (default: <see cref="KeyPath"/>, replaced; written before the certificate).</summary>
    public string? KeyOutPath { get; init; }
    public bool Rekey { get; init; }

    /// <summary>Ask even when less than <see cref="CertificateRenewal.DueFraction"/> of the lifetime has passed.</summary>
    public bool IgnoreSchedule { get; init; }

    /// <summary>The part of its lifetime after which a certificate is due (1/3 for a one-shot run; a daemon aims later, about 2/3).</summary>
    public double DueFraction { get; init; } = CertificateRenewal.DueFraction;

    /// <summary>Overwrite <see cref="OutPath"/> or <see cref="KeyOutPath"/> when they are other existing files (the files renewed in place always are).</summary>
    public bool Force { get; init; }

    public long? LifetimeSeconds { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
