using System.Globalization;
using System.Net;
using Mtls.Pki.Text;

namespace Mtls.Ca.Acme;

/// <summary>
/// How the ACME service validates challenges. The defaults are the RFC's: http-01 on port 80, tls-alpn-01
/// on port 443, names resolved by the system. The other values exist for tests on loopback
/// (<c>--acme-http-port</c>, <c>--acme-tls-port</c>, <c>--acme-resolve NAME=ADDR</c>) and
/// <see cref="TestOverridesWarning"/> says loudly when any is on.
/// </summary>
public sealed record AcmeOptions
{
    /// <summary>Where http-01 is fetched (RFC 8555 8.3: 80).</summary>
    public int HttpPort { get; init; } = 80;

    /// <summary>Where tls-alpn-01 connects (RFC 8737 3: 443).</summary>
    public int TlsPort { get; init; } = 443;

    /// <summary>Names answered from this map instead of DNS (lower-case names).</summary>
    public IReadOnlyDictionary<string, IPAddress> Resolve { get; init; } = new Dictionary<string, IPAddress>();

    /// <summary>How long a new order and its authorizations stay usable (default 7 days).</summary>
    public TimeSpan OrderLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long one challenge fetch or handshake may take (default 10 s).</summary>
    public TimeSpan ValidationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The language of the error documents' sentences (default English).</summary>
    public CultureInfo Culture { get; init; } = Language.English;

    /// <summary>Where the service says what a client cannot see (a challenge outcome it could not record); default nowhere.</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>True when any test override is on (a port that is not the RFC's, or a resolve entry).</summary>
    public bool TestOverridesOn => HttpPort != 80 || TlsPort != 443 || Resolve.Count > 0;

    /// <summary>The line a host prints at start when test overrides are on; null when none is.</summary>
    public string? TestOverridesWarning(CultureInfo culture)
    {
        if (!TestOverridesOn) return null;
        var names = Resolve.Count == 0 ? "-" : string.Join(", ", Resolve.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));
        return AcmeText.Format(nameof(Resources.Acme.Warning_TestOverrides), culture, HttpPort, TlsPort, names);
    }

    /// <summary>Parses one <c>--acme-resolve NAME=ADDR</c>; null when it is not that shape.</summary>
    public static KeyValuePair<string, IPAddress>? ParseResolve(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !IPAddress.TryParse(text[(equals + 1)..], out var address)) return null;
        return new(text[..equals].Trim().TrimEnd('.').ToLowerInvariant(), address);
    }
}
