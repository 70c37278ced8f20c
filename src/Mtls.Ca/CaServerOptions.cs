using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Names;

namespace Mtls.Ca;

/// <summary>
/// What `mtls ca serve` runs with. Defaults are the safe ones: loopback only, 24-hour certificates,
/// no renewal after expiry, a renewal refused before a third of the current certificate's life.
/// </summary>
public sealed record CaServerOptions
{
    /// <summary>The issuing CA (certificate and key).</summary>
    public required CertificateAuthority Authority { get; init; }

    /// <summary>The store of what the CA issued (its inventory).</summary>
    public required ICaStore Store { get; init; }

    /// <summary>The certificates sent after a leaf: the CA and any intermediates above it, no root.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; init; } = [];

    /// <summary>The roots served at /roots.pem (the CA itself when it is a root), where a client pinning a root's fingerprint fetches it.</summary>
    public IReadOnlyList<X509Certificate2> Roots { get; init; } = [];

    /// <summary>Port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; } = 8444;

    /// <summary>Addresses to listen on (default: 127.0.0.1 and ::1).</summary>
    public IReadOnlyList<IPAddress> Bind { get; init; } = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>The names of the CA's own TLS certificate (default localhost and 127.0.0.1).</summary>
    public IReadOnlyList<SubjectAlternativeName> ServerNames { get; init; } =
        [SubjectAlternativeName.Parse("DNS:localhost"), SubjectAlternativeName.Parse("IP:127.0.0.1")];

    /// <summary>Lifetime of a certificate when the request names none (24 hours).</summary>
    public TimeSpan DefaultLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The longest lifetime a request may ask for (30 days); never past the CA's own notAfter.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The shortest lifetime a request may ask for (60 seconds).</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromSeconds(60);

    /// <summary>How long after its expiry a certificate may still renew (default 0: not at all).</summary>
    public TimeSpan RenewGrace { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// The storm rule: a certificate may renew once this fraction of its lifetime has passed (default
    /// 1/3; clients renew at about 2/3, so a well-behaved one is never refused).
    /// </summary>
    public double RenewAfterFraction { get; init; } = 1.0 / 3;

    /// <summary>Where one line per event goes (issued, renewed, refused, the CA's own certificate renewed).</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>The language of log lines and of answers to clients that send no Accept-Language.</summary>
    public CultureInfo Language { get; init; } = Pki.Text.Language.English;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>More endpoints on the same application (ACME maps its routes here).</summary>
    public IReadOnlyList<ICaEndpoints> Endpoints { get; init; } = [];
}
