using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Trust;

namespace Mtls.Client.Online;

/// <summary>
/// How a client of the online CA recognises it: by root certificates it already has (--root), or by the
/// SHA-256 fingerprint of a certificate of the CA's chain, root or issuing CA (--fingerprint, as step-ca's
/// bootstrap: a pinned root, which a server does not send, is fetched from the CA's /roots.pem and
/// accepted for its fingerprint alone, <see cref="ResolveAsync"/>). Either way the CA's TLS certificate is judged by Pki's validator against those anchors
/// only, never the machine's trust store, for the host in the URL.
/// </summary>
public sealed class CaTrust
{
    private readonly IReadOnlyList<X509Certificate2> _roots;
    private readonly string? _fingerprint;
    private IReadOnlyList<X509Certificate2> _fetched = [];
    private bool _resolved;

    private CaTrust(IReadOnlyList<X509Certificate2> roots, string? fingerprint)
    {
        _roots = roots;
        _fingerprint = fingerprint;
    }

    public static CaTrust Roots(IReadOnlyList<X509Certificate2> roots) => new(roots, null);

    /// <summary>A fingerprint as sha256sum or openssl prints it (hex, colons and case ignored).</summary>
    public static CaTrust Fingerprint(string sha256) =>
        new([], sha256.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant());

    /// <summary>Why the CA's certificate was not accepted (null when it was): set by the last handshake, for the error line.</summary>
    public string? LastFailure { get; private set; }

    internal bool Validate(string host, X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is null) { LastFailure = Resources.OnlineClient.Trust_NoCertificate; return false; }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var sent = chain?.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)).ToList() ?? [];
        IReadOnlyList<X509Certificate2> anchors = _roots;
        if (_fingerprint is not null)
        {
            var pinned = sent.Append(leaf).Concat(Volatile.Read(ref _fetched)).FirstOrDefault(c => Convert.ToHexString(c.GetCertHash(HashAlgorithmName.SHA256)) == _fingerprint);
            if (pinned is null) { LastFailure = Pki.Text.Language.Format(Resources.OnlineClient.Trust_NotPinned, _fingerprint); return false; }
            anchors = [pinned];
        }
        var result = new ChainVerifier(anchors).Verify(leaf, sent, new VerifyOptions { Purpose = Purpose.Server, Host = host });
        LastFailure = result.Failure?.Message;
        return result.IsValid;
    }

    /// <summary>
    /// With a fingerprint: fetches the CA's /roots.pem once (over TLS that is not trusted yet: what is
    /// fetched is accepted only if its SHA-256 is the one pinned) so that a pinned root can anchor the
    /// CA's chain. Nothing to do for --root or a pinned issuing CA (sent in every handshake).
    /// </summary>
    internal async Task ResolveAsync(Uri baseUrl, CancellationToken ct)
    {
        if (_fingerprint is null || _resolved) return;
        _resolved = true;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            }) { Timeout = TimeSpan.FromSeconds(10) };
            var pem = await http.GetStringAsync(new Uri(baseUrl, "roots.pem"), ct);
            var roots = new List<X509Certificate2>();
            foreach (var block in Pki.Certificates.CertificateFile.ParseAll(System.Text.Encoding.UTF8.GetBytes(pem), "roots.pem"))
                if (Convert.ToHexString(block.GetCertHash(HashAlgorithmName.SHA256)) == _fingerprint) roots.Add(block);
            Volatile.Write(ref _fetched, roots);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Pki.MtlsException)
        {
            // No roots to be had: the pin must then match a certificate the server sends (its issuing CA).
        }
    }

    internal RemoteCertificateValidationCallback CallbackFor(string host) => (_, certificate, chain, _) => Validate(host, certificate, chain);
}
