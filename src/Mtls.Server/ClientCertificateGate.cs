using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Mtls.Pki.Text;
using Mtls.Pki.Trust;
using Mtls.Server.Resources;

namespace Mtls.Server;

/// <summary>
/// Decides whether a client may in, with <see cref="ChainVerifier"/> (the configured client CAs only).
/// The handshake itself always succeeds: a client refused inside TLS gets no alert from SslStream and
/// curl shows only "Empty reply from server" (DESIGN, Platform facts). Instead the decision is made once,
/// in the validation callback (<see cref="OnHandshake"/>), handed to the connection's facts, and
/// <see cref="RefuseAsync"/> answers 403 with the reason before the application handler runs.
/// </summary>
internal sealed class ClientCertificateGate
{
    private readonly ChainVerifier _verifier;
    private readonly ServerLog _log;
    private readonly TimeProvider _time;
    private readonly ConditionalWeakTable<SslStream, Decision> _decisions = new();
    private readonly RevocationState? _revocation;
    private readonly bool _acceptStaleCrls;

    private readonly SessionChains _chains;

    /// <summary>
    /// A verdict, the CRL version it was made under (a newer CRL means a fresh look) and the certificates
    /// it judged: the leaf and the intermediates sent with it (or remembered for its session).
    /// </summary>
    internal sealed record Decision(VerifyResult Result, int CrlVersion, X509Certificate2 Leaf, IReadOnlyList<X509Certificate2>? Sent);

    public ClientCertificateGate(IReadOnlyList<X509Certificate2> clientCas, ServerLog log, RevocationState? revocation = null,
        bool acceptStaleCrls = false, int cacheSize = 1024, TimeProvider? time = null)
    {
        _verifier = new ChainVerifier(clientCas);
        _log = log;
        _revocation = revocation;
        _acceptStaleCrls = acceptStaleCrls;
        _time = time ?? TimeProvider.System;
        Cache = new ValidationCache(cacheSize, _time);
        _chains = new SessionChains(Math.Max(4 * cacheSize, 1024));
        AcceptedIssuers = string.Join("; ", clientCas.Select(ChainVerifier.Subject));
    }

    /// <summary>The client CAs, for messages ("this server accepts certificates issued by ...").</summary>
    public string AcceptedIssuers { get; }

    /// <summary>Verdicts of clients already let in (cleared when the trust inputs change).</summary>
    public ValidationCache Cache { get; }

    /// <summary>
    /// SslStream's RemoteCertificateValidationCallback: the one place a connection's verdict is decided.
    /// The platform has already built a chain that trusts nothing (ServerTls: its verdict is never used,
    /// so it costs no signature check); its ExtraStore holds what the client sent, passed to our verifier
    /// as untrusted intermediates. On a resumed session it holds the leaf alone (see
    /// <see cref="SessionChains"/>), and the chain remembered from the full handshake is used.
    /// </summary>
    public bool OnHandshake(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || sender is not SslStream stream) return true;
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var sent = chain?.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)).ToList();
        _decisions.AddOrUpdate(stream, Decide(leaf, sent));
        return true;
    }

    /// <summary>
    /// The verdict the handshake reached for the connection's client certificate, handed over once to
    /// the connection's facts (<see cref="ConnectionFacts.Middleware"/>). Null without a certificate.
    /// </summary>
    public Decision? HandshakeVerdict(SslStream? stream, X509Certificate2? certificate)
    {
        if (certificate is null) return null;
        if (stream is not null && _decisions.TryGetValue(stream, out var decided))
        {
            _decisions.Remove(stream);
            return decided;
        }
        // SslStream calls the callback for every handshake that carries a certificate; should a platform
        // change skip it, the decision is still made here, the same way (remembered chain included).
        return Decide(certificate, null);
    }

    /// <summary>The verdict for a client certificate and the certificates sent with it (see <see cref="Decide"/>).</summary>
    public VerifyResult Check(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? sent) => Decide(leaf, sent).Result;

    /// <summary>
    /// The verdict for a client certificate and the certificates sent with it (none sent: the chain
    /// remembered from its last full handshake, if any): a cached success while every certificate of its
    /// chain is within its validity, else a full path validation (with the CRLs in force).
    /// </summary>
    private Decision Decide(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? sent)
    {
        var fromClient = sent is { Count: > 0 };
        if (!fromClient) sent = _chains.Find(leaf) ?? sent;
        // The generation first, then the CRLs: a CRL reload swaps the CRLs and then clears the cache, so
        // a verdict reached under the old CRLs carries an old generation and is not kept.
        var generation = Cache.Generation;
        var crls = _revocation?.Current;
        var version = crls?.Version ?? 0;
        var key = ValidationCache.Key(leaf, sent);
        if (!Cache.TryGet(key, out var result))
        {
            result = _verifier.Verify(leaf, sent, new VerifyOptions
            {
                Purpose = Purpose.Client,
                At = _time.GetUtcNow(),
                Crls = crls?.Crls ?? [],
                AcceptStaleCrls = _acceptStaleCrls,
            });
            Cache.Add(key, result, generation);
        }
        if (fromClient && result.IsValid) _chains.Remember(leaf, sent!);
        return new Decision(result, version, leaf, sent);
    }

    /// <summary>
    /// Why the request's client is refused, or null when it may in: the connection's verdict, looked at
    /// again (same certificates) only when the CRLs changed since it was reached, so a client revoked
    /// while its connection stays open is refused too.
    /// </summary>
    public VerifyFailure? Refusal(ConnectionFacts connection)
    {
        if (connection.Verdict is not { } decided)
            return VerifyFailure.NoClientCertificate;
        var version = _revocation?.Current?.Version ?? 0;
        if (decided.CrlVersion != version)
        {
            var again = Decide(decided.Leaf, decided.Sent);
            connection.Recheck(decided, again);
            decided = again;
        }
        return decided.Result.Failure;
    }

    /// <summary>
    /// Answers 403 with the reason (and logs it): the handshake let the client in, the gate does not.
    /// The answer is in the client's language (Accept-Language, else the server's), the log line in the server's.
    /// </summary>
    public Task RefuseAsync(HttpContext context, ConnectionFacts connection, VerifyFailure failure)
    {
        var culture = Language.FromAcceptLanguage(context.Request.Headers.AcceptLanguage.ToString(), _log.Culture);
        var reason = failure.Reason == FailureReason.NoCertificate
            ? ServerText.Format(nameof(Strings.Refusal_NoCertificate), culture, AcceptedIssuers)
            : ServerText.Format(nameof(Strings.Refusal_Rejected), culture, failure.MessageIn(culture), AcceptedIssuers);
        var path = ServerLog.Printable(context.Request.Path.ToString());
        _log.Write(ServerEvent.Rejected, _log.Say(nameof(Strings.Rejected_Log), context.Request.Method, path, connection.Remote, failure.MessageIn(_log.Culture)),
            connection.Client, connection.Remote, context.Request.Method, path, StatusCodes.Status403Forbidden, failure.Reason.ToString());
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers["X-Mtls-Reject-Reason"] = failure.Reason.ToString();
        return HelloResponse.WriteRefusalAsync(context, StatusCodes.Status403Forbidden, "Forbidden", reason, culture);
    }
}
