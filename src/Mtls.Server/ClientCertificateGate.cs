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
/// the validation callback, kept per connection, and <see cref="InvokeAsync"/> answers 403 with the
/// reason before the application handler runs.
/// </summary>
internal sealed class ClientCertificateGate
{
    private readonly ChainVerifier _verifier;
    private readonly ServerLog _log;
    private readonly TimeProvider _time;
    private readonly ConditionalWeakTable<SslStream, VerifyResult> _decisions = new();

    public ClientCertificateGate(IReadOnlyList<X509Certificate2> clientCas, ServerLog log, int cacheSize = 1024, TimeProvider? time = null)
    {
        _verifier = new ChainVerifier(clientCas);
        _log = log;
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
        _decisions.AddOrUpdate(stream, Check(leaf, sent));
        return true;
    }

    /// <summary>
    /// The verdict for a client certificate and the certificates sent with it: a cached success while
    /// every certificate of its chain is within its validity, else a full path validation.
    /// </summary>
    public VerifyResult Check(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? sent)
    {
        var key = ValidationCache.Key(leaf, sent);
        if (Cache.TryGet(key, out var cached)) return cached;
        var generation = Cache.Generation;
        var result = _verifier.Verify(leaf, sent, new VerifyOptions { Purpose = Purpose.Client, At = _time.GetUtcNow() });
        Cache.Add(key, result, generation);
        return result;
    }

    /// <summary>Middleware: 403 with the reason for a refused client; otherwise the next handler.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var stream = context.Features.Get<ISslStreamFeature>()?.SslStream;
        var client = context.Connection.ClientCertificate;
        var decision = Decide(stream, client);
        if (decision.Failure is { } failure)
        {
            var body = failure.Reason == FailureReason.NoCertificate
                ? $"403 Forbidden: this server requires a client certificate issued by {AcceptedIssuers}, and none was sent. Send one: curl --cert client.crt --key client.key ..., or mtls get --cert client.crt --key client.key ..."
                : $"403 Forbidden: client certificate rejected: {failure.Message}. This server accepts client certificates issued by {AcceptedIssuers}.";
            _log.Write(ServerLogKind.Rejected, $"{context.Request.Method} {ServerLog.Printable(context.Request.Path.ToString())} from {context.Connection.RemoteIpAddress}: {failure.Message}",
                client, failure.Reason.ToString());
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers["X-Mtls-Reject-Reason"] = failure.Reason.ToString();
            await context.Response.WriteAsync(body + "\n", context.RequestAborted);
            return;
        }
        await next(context);
    }

    private VerifyResult Decide(SslStream? stream, X509Certificate2? client)
    {
        if (client is null)
            return VerifyResult.Fail(FailureReason.NoCertificate, 0, "", "no client certificate was sent");
        // Decided once per connection in the handshake; verify here only if the callback did not see it.
        if (stream is not null && _decisions.TryGetValue(stream, out var decided))
            return decided;
        return Check(client, null);
    }
}
