using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Names;

namespace Mtls.Ca.Acme;

/// <summary>
/// Checks a challenge against the identifier's host: http-01 (RFC 8555 8.3) by fetching the key
/// authorization over plain HTTP, tls-alpn-01 (RFC 8737) by a handshake offering only "acme-tls/1" and
/// reading the self-signed certificate presented. Null when the challenge is met, else the problem.
/// </summary>
internal sealed class ChallengeValidator(AcmeOptions options, AcmeErrors errors)
{
    private const string AcmeIdentifierOid = "1.3.6.1.5.5.7.1.31";
    private static readonly SslApplicationProtocol AcmeTls1 = new("acme-tls/1");

    public async Task<AcmeProblem?> ValidateAsync(string type, string name, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ValidationTimeout);
        IPAddress address;
        try
        {
            address = await ResolveAsync(name, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or InvalidOperationException)
        {
            return errors.Challenge("dns", nameof(Resources.Acme.Challenge_Dns), name, e.Message.TrimEnd('.'));
        }
        try
        {
            return type == ChallengeTypes.Http01
                ? await Http01Async(name, address, token, keyAuthorization, timeout.Token)
                : await TlsAlpn01Async(name, address, keyAuthorization, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return errors.Challenge("connection", nameof(Resources.Acme.Challenge_Timeout), Where(type, address), options.ValidationTimeout.TotalSeconds);
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException)
        {
            return errors.Challenge("connection", nameof(Resources.Acme.Challenge_Connection), Where(type, address), Innermost(e));
        }
        catch (AuthenticationException e)
        {
            return errors.Challenge("tls", nameof(Resources.Acme.Challenge_Tls), Where(type, address), Innermost(e));
        }
    }

    private string Where(string type, IPAddress address) =>
        new IPEndPoint(address, type == ChallengeTypes.Http01 ? options.HttpPort : options.TlsPort).ToString();

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message.TrimEnd('.');
    }

    private async Task<IPAddress> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        if (options.Resolve.TryGetValue(name, out var overridden)) return overridden;
        var addresses = await Dns.GetHostAddressesAsync(name, cancellationToken);
        return addresses.FirstOrDefault() ?? throw new InvalidOperationException("no address");
    }

    private async Task<AcmeProblem?> Http01Async(string name, IPAddress address, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // a redirect elsewhere is not the identifier's host answering
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, options.HttpPort), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var url = new UriBuilder(Uri.UriSchemeHttp, name, options.HttpPort, "/.well-known/acme-challenge/" + token).Uri;
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
            return errors.Challenge("incorrectResponse", nameof(Resources.Acme.Challenge_HttpStatus), url, (int)response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[1024];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            length += read;
        // RFC 8555 8.3: whitespace at the end of the body is ignored.
        var text = Encoding.UTF8.GetString(buffer, 0, length).TrimEnd(' ', '\t', '\r', '\n');
        return text == keyAuthorization ? null
            : errors.Challenge("incorrectResponse", nameof(Resources.Acme.Challenge_HttpWrongBody), url);
    }

    private async Task<AcmeProblem?> TlsAlpn01Async(string name, IPAddress address, string keyAuthorization, CancellationToken cancellationToken)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, options.TlsPort), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        await using var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = name, // SNI = the identifier (RFC 8737 3)
            ApplicationProtocols = [AcmeTls1],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            // The certificate is self-signed by design; it is judged below, not by a chain.
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }, cancellationToken);
        if (tls.NegotiatedApplicationProtocol != AcmeTls1)
            return errors.Challenge("tls", nameof(Resources.Acme.Challenge_NoAlpn), Where(ChallengeTypes.TlsAlpn01, address));
        if (tls.RemoteCertificate is not { } remote)
            return errors.Challenge("tls", nameof(Resources.Acme.Challenge_NoCertificate), Where(ChallengeTypes.TlsAlpn01, address));
        using var certificate = X509CertificateLoader.LoadCertificate(remote.GetRawCertData());
        return CheckAlpnCertificate(certificate, name, keyAuthorization);
    }

    /// <summary>RFC 8737 3: SAN is exactly the name; acmeIdentifier is critical and holds SHA-256 of the key authorization.</summary>
    internal AcmeProblem? CheckAlpnCertificate(X509Certificate2 certificate, string name, string keyAuthorization)
    {
        var san = certificate.Extensions[Pki.Certificates.Oids.SubjectAltName];
        IReadOnlyList<SubjectAlternativeName> names = [];
        var other = 0;
        try
        {
            if (san is not null) names = SubjectAlternativeName.Decode(san.RawData, out other);
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
        }
        if (other != 0 || names.Count != 1 || names[0].Kind != SanKind.Dns || !string.Equals(names[0].Value, name, StringComparison.OrdinalIgnoreCase))
            return errors.Challenge("incorrectResponse", nameof(Resources.Acme.Challenge_AlpnSan), name,
                names.Count == 0 && other == 0 ? "-" : string.Join(", ", names) + (other > 0 ? $" (+{other})" : ""));
        var extension = certificate.Extensions[AcmeIdentifierOid];
        if (extension is null || !extension.Critical)
            return errors.Challenge("incorrectResponse", nameof(Resources.Acme.Challenge_AlpnNoExtension));
        byte[] expected = [0x04, 0x20, .. SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization))];
        return extension.RawData.AsSpan().SequenceEqual(expected) ? null
            : errors.Challenge("incorrectResponse", nameof(Resources.Acme.Challenge_AlpnWrongDigest));
    }
}
