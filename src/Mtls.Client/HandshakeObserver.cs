using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mtls.Client.Resources;
using Mtls.Pki.Names;
using Mtls.Pki.Text;
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
            ServerFailure = new(ClientFailureKind.UntrustedServer, Strings.Get_NoServerCertificate);
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
                return Expired(Validity(leaf));
            return ChainVerifier.MatchesHost(leaf, host) ? null : Mismatch(leaf, NotForHost(leaf));
        }
        var result = new ChainVerifier(cas).Verify(leaf, ServerChain.Skip(1).ToList(), new VerifyOptions { Purpose = Purpose.Server, Host = host });
        if (result.Failure is not { } f) return null;
        return f.Reason switch
        {
            FailureReason.Expired or FailureReason.NotYetValid => Expired(f.Message),
            FailureReason.HostMismatch => Mismatch(leaf, f.Message),
            FailureReason.UnknownIssuer => new(ClientFailureKind.UntrustedServer, Language.Format(Strings.Get_UntrustedServer, f.Message)) { Remedy = ClientRemedy.TrustServerCa },
            _ => new(ClientFailureKind.UntrustedServer, Language.Format(Strings.Get_ServerRefused, f.Message)),
        };
    }

    private ClientFailure? CheckPlatform(X509Certificate2 leaf, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return null;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var flags = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status) ?? X509ChainStatusFlags.NoError;
            if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
                return Expired(Validity(leaf));
            return new(ClientFailureKind.UntrustedServer,
                Language.Format(Strings.Get_UntrustedBySystem, ChainVerifier.Subject(leaf), DistinguishedName.Format(leaf.IssuerName))) { Remedy = ClientRemedy.TrustServerCa };
        }
        return Mismatch(leaf, NotForHost(leaf));
    }

    private static string Validity(X509Certificate2 leaf) => Language.Format(Strings.Get_ValidityRange, ChainVerifier.Subject(leaf),
        leaf.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        leaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));

    private string NotForHost(X509Certificate2 leaf) => Language.Format(Strings.Get_NotForHost, host, ChainVerifier.NamesOf(leaf));

    private static ClientFailure Expired(string detail) =>
        new(ClientFailureKind.ServerExpired, Language.Format(Strings.Get_ServerExpired, detail)) { Remedy = ClientRemedy.RenewServerCertificate };

    private ClientFailure Mismatch(X509Certificate2 leaf, string detail)
    {
        var cnOnly = !leaf.Extensions.Any(e => e.Oid?.Value == Pki.Certificates.Oids.SubjectAltName)
            && string.Equals(DistinguishedName.CommonName(leaf.SubjectName), host, StringComparison.OrdinalIgnoreCase);
        return cnOnly
            ? new(ClientFailureKind.HostMismatch, Language.Format(Strings.Get_HostMismatchCnOnly, host)) { Remedy = ClientRemedy.ReissueWithSan }
            : new(ClientFailureKind.HostMismatch, Language.Format(Strings.Get_HostMismatch, detail)) { Remedy = ClientRemedy.UseListedName };
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
