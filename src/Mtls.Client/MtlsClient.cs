using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Mtls.Client.Resources;
using Mtls.Pki.Inspection;
using Mtls.Pki.Text;

namespace Mtls.Client;

/// <summary>
/// A curl-like HTTPS GET over SslStream that explains every failure (cause and fix, one line) and
/// reports what the TLS handshake showed.
/// </summary>
public static class MtlsClient
{
    public static async Task<GetResult> GetAsync(Uri url, MtlsClientOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        if (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http"))
            return Failed(ClientFailureKind.Other, Language.Format(Strings.Get_NotAUrl, url));
        var where = $"{url.Host}:{url.Port}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        var token = timeout.Token;
        HandshakeObserver? observer = null;
        SslStream? ssl = null;
        try
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try { await socket.ConnectAsync(url.DnsSafeHost, url.Port, token); }
            catch { socket.Dispose(); throw; }
            var network = new RecordingStream(new NetworkStream(socket, ownsSocket: true));
            await using var _ = network;
            if (url.Scheme == "http")
                return await PlainAsync(network, url, options, where, token);

            observer = new HandshakeObserver(options, url.DnsSafeHost);
            ssl = new SslStream(network, leaveInnerStreamOpen: true);
            try
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = url.DnsSafeHost,
                    EnabledSslProtocols = Mtls.Pki.Trust.TlsProtocols.Supported,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = observer.ValidateServer,
                    LocalCertificateSelectionCallback = observer.SelectClientCertificate,
                }, token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                return new GetResult(null, "", Info(observer, null), HandshakeFailure(observer, network, url, where, e));
            }
            var tls = Info(observer, ssl);
            HttpResponse response;
            try { response = await new HttpExchange(ssl).GetAsync(url, options.Accept, token); }
            catch (Exception e) when (e is IOException or InvalidDataException or AuthenticationException)
            {
                return new GetResult(null, "", tls, AfterHandshakeFailure(observer, where, e));
            }
            return new GetResult(response.Status, response.Body, tls, Judge(response, observer));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new GetResult(null, "", observer is null ? null : Info(observer, null), new(ClientFailureKind.Timeout,
                Language.Format(Strings.Get_Timeout, where, options.Timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture))) { Remedy = ClientRemedy.WaitLonger });
        }
        catch (SocketException e)
        {
            return Failed(e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ClientFailureKind.ConnectionRefused,
                SocketError.TimedOut => ClientFailureKind.Timeout,
                _ => ClientFailureKind.Other,
            }, e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => Language.Format(Strings.Get_ConnectionRefused, where),
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => Language.Format(Strings.Get_HostNotFound, url.Host, e.Message),
                _ => Language.Format(Strings.Get_CannotConnect, where, e.Message),
            });
        }
        finally
        {
            ssl?.Dispose();
        }
    }

    private static async Task<GetResult> PlainAsync(Stream stream, Uri url, MtlsClientOptions options, string where, CancellationToken token)
    {
        HttpResponse response;
        try { response = await new HttpExchange(stream).GetAsync(url, options.Accept, token); }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return Failed(ClientFailureKind.NotHttps, Language.Format(Strings.Get_PlainNoAnswer, url, where, e.Message, $"https://{url.Authority}{url.PathAndQuery}"));
        }
        var https = $"https://{url.Authority}{url.PathAndQuery}";
        if (response.Status == 400 && response.Body.Contains("https", StringComparison.OrdinalIgnoreCase))
            return new GetResult(400, response.Body, null, new(ClientFailureKind.NotHttps, Language.Format(Strings.Get_SpeaksHttps, where, https)));
        return new GetResult(response.Status, response.Body, null, response.Status is >= 200 and < 300 ? null
            : new(ClientFailureKind.HttpError, Language.Format(Strings.Get_HttpError, response.Status, response.Reason, response.FirstLine)));
    }

    private static ClientFailure HandshakeFailure(HandshakeObserver observer, RecordingStream network, Uri url, string where, Exception e)
    {
        if (observer.ServerFailure is { } server) return server;
        if (network.FirstBytes.StartsWith("HTTP/"u8))
            return new(ClientFailureKind.PlainHttpPort, Language.Format(Strings.Get_PlainHttpPort, where, $"http://{url.Authority}{url.PathAndQuery}"));
        if (Text(network.FirstBytes) is { } text)
            return new(ClientFailureKind.PlainHttpPort, Language.Format(Strings.Get_PlainTextPort, where, text, $"http://{url.Authority}{url.PathAndQuery}"));
        if (observer.ClientCertificateRequested)
            return ClientCertificateProblem(observer, where, null);
        if (network.FirstBytes.IsEmpty)
            return new(ClientFailureKind.Other, Language.Format(Strings.Get_ClosedWithoutTls, where));
        return new(ClientFailureKind.Other, Language.Format(Strings.Get_HandshakeFailed, where, Inner(e)));
    }

    /// <summary>
    /// The first bytes as text when they are printable ASCII, else null. A TLS record starts with a
    /// control byte (0x14-0x18); printable text is a plain-HTTP server answering without a status line,
    /// as Python's http.server does to a ClientHello (an HTTP/0.9 error page: "&lt;!DOCTYPE HTML&gt;...").
    /// </summary>
    private static string? Text(ReadOnlySpan<byte> first)
    {
        if (first.IsEmpty) return null;
        foreach (var b in first)
            if (b is not (>= 0x20 and < 0x7F or (byte)'\t' or (byte)'\r' or (byte)'\n')) return null;
        var text = System.Text.Encoding.ASCII.GetString(first);
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    private static ClientFailure AfterHandshakeFailure(HandshakeObserver observer, string where, Exception e)
    {
        // In TLS 1.3 a server refuses a client certificate after the handshake, with an alert on our first read.
        if (observer.ClientCertificateRequested)
            return ClientCertificateProblem(observer, where, null);
        return new(ClientFailureKind.Other, Language.Format(Strings.Get_AfterHandshake, where, Inner(e)));
    }

    private static ClientFailure? Judge(HttpResponse response, HandshakeObserver observer)
    {
        if (response.Status is >= 200 and < 300) return null;
        if (response.Status == 403 && observer.ClientCertificateRequested)
            return ClientCertificateProblem(observer, null, response.FirstLine.Replace("403 Forbidden: ", "", StringComparison.Ordinal));
        return new(ClientFailureKind.HttpError, Language.Format(Strings.Get_HttpError, response.Status, response.Reason, response.FirstLine));
    }

    private static ClientFailure ClientCertificateProblem(HandshakeObserver observer, string? where, string? serverSays)
    {
        var accepts = observer.AcceptableIssuers.Count > 0 ? Language.Format(Strings.Get_AcceptsIssuedBy, string.Join("; ", observer.AcceptableIssuers)) : Strings.Get_AcceptsAny;
        var said = serverSays is { Length: > 0 } ? Language.Format(Strings.Get_ServerSaid, serverSays) : where is null ? "" : Language.Format(Strings.Get_ServerClosed, where);
        return observer.ClientCertificateSent is null
            ? new(ClientFailureKind.ClientCertificateRequired, Language.Format(Strings.Get_ClientCertificateRequired, accepts)) { Remedy = ClientRemedy.SendClientCertificate }
            : new(ClientFailureKind.ClientCertificateRejected, Language.Format(Strings.Get_ClientCertificateRejected, observer.ClientCertificateSent, said, accepts));
    }

    private static TlsInfo? Info(HandshakeObserver observer, SslStream? ssl)
    {
        if (ssl is null && observer.ServerChain.Count == 0) return null;
        var now = DateTimeOffset.UtcNow;
        return new TlsInfo(
            ssl is null ? "none (handshake failed)" : Mtls.Pki.Trust.TlsProtocols.Name(ssl.SslProtocol),
            ssl?.NegotiatedCipherSuite.ToString() ?? "none",
            observer.ServerChain.Select(c => CertificateDescription.From(c, now)).ToList(),
            observer.ClientCertificateRequested, observer.AcceptableIssuers.ToList(), ssl is null ? null : observer.ClientCertificateSent);
    }

    private static string Inner(Exception e) => e.InnerException is { } inner && inner.Message.Length > 0 ? $"{e.Message} ({inner.Message})" : e.Message;

    private static GetResult Failed(ClientFailureKind kind, string message) => new(null, "", null, new(kind, message));
}
