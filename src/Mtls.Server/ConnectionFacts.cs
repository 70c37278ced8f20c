using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Mtls.Server;

/// <summary>
/// What is the same for every request of a connection: the client certificate and its names, the TLS
/// protocol and cipher, the client's address and the plain-text answer. Worked out once, right after the
/// handshake (<see cref="Middleware"/>, placed after UseHttps), instead of on every request: the keep-alive
/// profile had the cipher's name (Enum.ToString), the answer's formatting and its UTF-8 encoding among the
/// top managed costs per request (bench/RESULTS.md, "Notes on this session's keep-alive work"). Requests find it among the connection's features
/// (Kestrel falls back to those for HTTP/1.1 requests and HTTP/2 streams alike). Safe to share between
/// the concurrent streams of an HTTP/2 connection: fields are set once, the caches hold immutable values.
/// </summary>
internal sealed class ConnectionFacts
{
    private sealed record CachedBody(string HttpProtocol, System.Globalization.CultureInfo Language, byte[] Body);

    private CachedBody? _text;
    private ClientCertificateGate.Decision? _verdict;

    private ConnectionFacts(X509Certificate2? certificate, ClientCertificateGate.Decision? verdict, ITlsHandshakeFeature? tls, IPEndPoint? remote)
    {
        Certificate = certificate;
        _verdict = verdict;
        Client = certificate is null ? null : ClientNames.Of(certificate);
        TlsProtocol = Mtls.Pki.Trust.TlsProtocols.Name(tls?.Protocol);
        Cipher = tls?.NegotiatedCipherSuite?.ToString() ?? "unknown";
        Remote = remote?.ToString();
        RemoteAddress = remote?.Address.ToString();
    }

    public X509Certificate2? Certificate { get; }

    /// <summary>The client certificate's names as logs and answers show them.</summary>
    public ClientInfo? Client { get; }

    public string TlsProtocol { get; }

    public string Cipher { get; }

    /// <summary>
    /// The client's address and port as every log line shows it ("127.0.0.1:50412", "[::1]:50412"; the same
    /// form as plain_http and handshake_failed lines, so one connection's lines can be matched), formatted
    /// once per connection.
    /// </summary>
    public string? Remote { get; }

    /// <summary>The client's address alone ("127.0.0.1", "::1"), as X-Forwarded-For carries it; formatted once per connection.</summary>
    public string? RemoteAddress { get; }

    /// <summary>
    /// The gate's verdict on the client certificate: the one its handshake reached, or the one a CRL
    /// change led to since (<see cref="ClientCertificateGate.Refusal"/>). Null without a certificate or
    /// without a gate.
    /// </summary>
    public ClientCertificateGate.Decision? Verdict => Volatile.Read(ref _verdict);

    /// <summary>
    /// What mtls proxy works out once per connection (the allow verdict and the identity headers): the
    /// client certificate cannot change within a connection. Null until its first request; set racily by
    /// concurrent HTTP/2 streams, each computing the same value.
    /// </summary>
    internal global::Mtls.Server.Proxy.ProxyConnection? Proxy { get; set; }

    /// <summary>Replaces <paramref name="old"/> with the gate's fresh look under newer CRLs (unless another request already did).</summary>
    internal void Recheck(ClientCertificateGate.Decision old, ClientCertificateGate.Decision fresh) =>
        Interlocked.CompareExchange(ref _verdict, fresh, old);

    /// <summary>Connection middleware, placed after UseHttps: the handshake is done, its results are known.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(ClientCertificateGate? gate, ServerCounters counters) => next => connection =>
    {
        counters.Handshake();
        var features = connection.Features;
        var certificate = features.Get<ITlsConnectionFeature>()?.ClientCertificate;
        features.Set(new ConnectionFacts(
            certificate,
            gate?.HandshakeVerdict(features.Get<ISslStreamFeature>()?.SslStream, certificate),
            features.Get<ITlsHandshakeFeature>(),
            connection.RemoteEndPoint as IPEndPoint));
        return next(connection);
    };

    /// <summary>The facts of the request's connection (set by <see cref="Middleware"/>).</summary>
    public static ConnectionFacts Of(HttpContext context) =>
        context.Features.Get<ConnectionFacts>() ?? throw new InvalidOperationException("ConnectionFacts.Middleware() is not on this listener.");

    /// <summary>The plain-text answer in UTF-8; it names only the connection's facts, the HTTP protocol and the language.</summary>
    public byte[] TextBody(string httpProtocol, System.Globalization.CultureInfo language, Func<ConnectionFacts, string, System.Globalization.CultureInfo, string> text)
    {
        var cached = _text;
        if (cached is not null && cached.HttpProtocol == httpProtocol && ReferenceEquals(cached.Language, language)) return cached.Body;
        var body = System.Text.Encoding.UTF8.GetBytes(text(this, httpProtocol, language));
        _text = new CachedBody(httpProtocol, language, body);
        return body;
    }
}
