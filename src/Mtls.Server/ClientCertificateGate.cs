using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Mtls.Pki.Trust;

namespace Mtls.Server;

/// <summary>
/// Decides whether a client may in, with <see cref="ChainVerifier"/> (the configured client CAs only).
/// The handshake itself always succeeds: a client refused inside TLS gets no alert from SslStream and
/// curl shows only "Empty reply from server" (DESIGN, Platform facts). Instead the decision is made in
/// the validation callback, kept per connection, and <see cref="RefuseAsync"/> answers 403 with the
/// reason before the application handler runs.
/// </summary>
internal sealed class ClientCertificateGate
{
    private readonly ChainVerifier _verifier;
    private readonly ServerLog _log;
    private readonly TimeProvider _time;
    private readonly ConditionalWeakTable<SslStream, Decision> _decisions = new();
    private readonly RevocationState? _revocation;
    private readonly bool _acceptStaleCrls;

    /// <summary>A verdict and the CRL version it was made under; a newer CRL means a fresh look.</summary>
    internal sealed record Decision(VerifyResult Result, int CrlVersion, IReadOnlyList<X509Certificate2>? Sent);

    public ClientCertificateGate(IReadOnlyList<X509Certificate2> clientCas, ServerLog log, RevocationState? revocation = null,
        bool acceptStaleCrls = false, int cacheSize = 1024, TimeProvider? time = null)
    {
        _verifier = new ChainVerifier(clientCas);
        _log = log;
        _revocation = revocation;
        _acceptStaleCrls = acceptStaleCrls;
        _time = time ?? TimeProvider.System;
        Cache = new ValidationCache(cacheSize, _time);
        AcceptedIssuers = string.Join("; ", clientCas.Select(ChainVerifier.Subject));
    }

    /// <summary>The client CAs, for messages ("this server accepts certificates issued by ...").</summary>
    public string AcceptedIssuers { get; }

    /// <summary>Verdicts of clients already let in (cleared when the trust inputs change).</summary>
    public ValidationCache Cache { get; }

    /// <summary>
    /// SslStream's RemoteCertificateValidationCallback. The platform has already built a chain that trusts
    /// nothing (ServerTls: its verdict is never used, so it costs no signature check); its ExtraStore holds
    /// what the client sent, passed to our verifier as untrusted intermediates.
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
    /// The verdict for a client certificate and the certificates sent with it: a cached success while
    /// every certificate of its chain is within its validity, else a full path validation (with the CRLs
    /// in force).
    /// </summary>
    public VerifyResult Check(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? sent) => Decide(leaf, sent).Result;

    private Decision Decide(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? sent)
    {
        // The generation first, then the CRLs: a CRL reload swaps the CRLs and then clears the cache, so
        // a verdict reached under the old CRLs carries an old generation and is not kept.
        var generation = Cache.Generation;
        var crls = _revocation?.Current;
        var version = crls?.Version ?? 0;
        var key = ValidationCache.Key(leaf, sent);
        if (Cache.TryGet(key, out var cached)) return new Decision(cached, version, sent);
        var result = _verifier.Verify(leaf, sent, new VerifyOptions
        {
            Purpose = Purpose.Client,
            At = _time.GetUtcNow(),
            Crls = crls?.Crls ?? [],
            AcceptStaleCrls = _acceptStaleCrls,
        });
        Cache.Add(key, result, generation);
        return new Decision(result, version, sent);
    }

    /// <summary>Why the request's client is refused, or null when it may in.</summary>
    public VerifyFailure? Refusal(ConnectionFacts connection)
    {
        if (connection.Certificate is not { } client)
            return NoCertificate;
        // Decided once per connection in the handshake; again only when the CRLs changed since (so a
        // revoked client on a kept-alive connection is refused too), or if the callback did not see it.
        var version = _revocation?.Current?.Version ?? 0;
        var decided = connection.Verdict;
        if (decided is null && connection.Stream is { } stream && _decisions.TryGetValue(stream, out var found))
            decided = found;
        if (decided is null)
            return Check(client, null).Failure;
        if (decided.CrlVersion != version)
        {
            decided = Decide(client, decided.Sent);
            if (connection.Stream is { } s) _decisions.AddOrUpdate(s, decided);
        }
        connection.Verdict = decided;
        return decided.Result.Failure;
    }

    /// <summary>Answers 403 with the reason (and logs it): the handshake let the client in, the gate does not.</summary>
    public Task RefuseAsync(HttpContext context, ConnectionFacts connection, VerifyFailure failure)
    {
        var reason = failure.Reason == FailureReason.NoCertificate
            ? $"this server requires a client certificate issued by {AcceptedIssuers}, and none was sent. Send one: curl --cert client.crt --key client.key ..., or mtls get --cert client.crt --key client.key ..."
            : $"client certificate rejected: {failure.Message}. This server accepts client certificates issued by {AcceptedIssuers}.";
        _log.Write(ServerLogKind.Rejected, $"{context.Request.Method} {ServerLog.Printable(context.Request.Path.ToString())} from {context.Connection.RemoteIpAddress}: {failure.Message}",
            connection.Client, failure.Reason.ToString());
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers["X-Mtls-Reject-Reason"] = failure.Reason.ToString();
        return HelloResponse.WriteRefusalAsync(context, StatusCodes.Status403Forbidden, "Forbidden", reason);
    }

    private static readonly VerifyFailure NoCertificate = new(FailureReason.NoCertificate, 0, "", "no client certificate was sent");
}
