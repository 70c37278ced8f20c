using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Names;
using Mtls.Pki.Trust;

namespace Mtls.Client;

/// <summary>
/// The SslStream callbacks of one request: checks the server's certificate (our CAs only, through
/// <see cref="ChainVerifier"/>, or the system store, or nothing with Insecure) and records what the
/// handshake showed, so that a failure can be explained and --verbose can print it.
/// </summary>
internal sealed class HandshakeObserver(MtlsClientOptions options, string host)
{
    public List<X509Certificate2> ServerChain { get; } = [];
    public ClientFailure? ServerFailure { get; private set; }
    public bool ClientCertificateRequested { get; private set; }
    public List<string> AcceptableIssuers { get; } = [];
    public string? ClientCertificateSent { get; private set; }

    public bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            ServerFailure = new(ClientFailureKind.UntrustedServer, "the server sent no certificate");
            return options.Insecure;
        }
        // Copies: SslStream disposes its certificates when the handshake fails, and we report them after.
        var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        ServerChain.Clear();
        ServerChain.Add(leaf);
        // On Linux the ExtraStore holds what the server sent (the leaf included).
        if (chain is not null)
            ServerChain.AddRange(chain.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                .Select(c => X509CertificateLoader.LoadCertificate(c.RawDataMemory.Span)));
        if (options.Insecure) return true;
        ServerFailure = options.TrustedCas is { } cas ? CheckAgainst(cas, leaf) : CheckPlatform(leaf, chain, errors);
        return ServerFailure is null;
    }

    private ClientFailure? CheckAgainst(IReadOnlyList<X509Certificate2> cas, X509Certificate2 leaf)
    {
        // --cacert server.crt: the server's own certificate given as trusted (curl accepts this too).
        if (cas.Any(c => c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)))
        {
            var now = DateTime.UtcNow;
            if (now > leaf.NotAfter.ToUniversalTime() || now < leaf.NotBefore.ToUniversalTime())
                return Expired($"{ChainVerifier.Subject(leaf)}: valid from {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} to {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
            return ChainVerifier.MatchesHost(leaf, host) ? null : Mismatch(leaf, $"the certificate is not for '{host}'; it names {ChainVerifier.NamesOf(leaf)}");
        }
        var result = new ChainVerifier(cas).Verify(leaf, ServerChain.Skip(1).ToList(), new VerifyOptions { Purpose = Purpose.Server, Host = host });
        if (result.Failure is not { } f) return null;
        return f.Reason switch
        {
            FailureReason.Expired or FailureReason.NotYetValid => Expired(f.Message),
            FailureReason.HostMismatch => Mismatch(leaf, f.Message),
            FailureReason.UnknownIssuer => new(ClientFailureKind.UntrustedServer,
                $"untrusted server certificate: {f.Message}; give the CA that issued it with --cacert (or --insecure to skip the check)"),
            _ => new(ClientFailureKind.UntrustedServer, $"the server's certificate is refused: {f.Message}"),
        };
    }

    private ClientFailure? CheckPlatform(X509Certificate2 leaf, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return null;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var flags = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status) ?? X509ChainStatusFlags.NoError;
            if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
                return Expired($"{ChainVerifier.Subject(leaf)}: valid from {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} to {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
            return new(ClientFailureKind.UntrustedServer,
                $"untrusted server certificate: {ChainVerifier.Subject(leaf)} is issued by {DistinguishedName.Format(leaf.IssuerName)}, which the system does not trust; give its CA with --cacert (e.g. --cacert server-ca.crt), or --insecure to skip the check");
        }
        return Mismatch(leaf, $"the certificate is not for '{host}'; it names {ChainVerifier.NamesOf(leaf)}");
    }

    private static ClientFailure Expired(string detail) =>
        new(ClientFailureKind.ServerExpired, $"the server's certificate is outside its validity: {detail}; the server administrator must renew it (mtls ca sign ...), or check this machine's clock");

    private ClientFailure Mismatch(X509Certificate2 leaf, string detail)
    {
        var cnOnly = !leaf.Extensions.Any(e => e.Oid?.Value == Pki.Certificates.Oids.SubjectAltName)
            && string.Equals(DistinguishedName.CommonName(leaf.SubjectName), host, StringComparison.OrdinalIgnoreCase);
        return new(ClientFailureKind.HostMismatch, cnOnly
            ? $"host name mismatch: the server's certificate names '{host}' only in its CN and has no subjectAltName (an 'openssl x509 -req' certificate); Go, browsers and mtls require a SAN (curl still falls back to the CN). Reissue it: mtls ca sign server.csr --ca-cert server-ca.crt --ca-key server-ca.key --profile server --out server.crt"
            : $"host name mismatch: {detail}; use a name the certificate lists, or reissue it with --san DNS:{host}");
    }

    /// <summary>
    /// SslStream's LocalCertificateSelectionCallback. It is called once before the handshake (no server
    /// certificate yet) and again when the server sends a CertificateRequest: answering null the first
    /// time is what lets us see whether the server asks, and for which CAs.
    /// </summary>
    public X509Certificate SelectClientCertificate(object sender, string targetHost, X509CertificateCollection local, X509Certificate? remote, string[] issuers)
    {
        if (remote is null) return null!;
        ClientCertificateRequested = true;
        AcceptableIssuers.Clear();
        AcceptableIssuers.AddRange(issuers.Select(Rfc4514));
        if (options.ClientCertificate is not { } mine) return null!;
        ClientCertificateSent = ChainVerifier.Subject(mine);
        return mine;
    }

    private static string Rfc4514(string platformName)
    {
        try { return DistinguishedName.Format(new X500DistinguishedName(platformName)); }
        catch (System.Security.Cryptography.CryptographicException) { return platformName; }
    }
}
