using Mtls.Pki.Inspection;

namespace Mtls.Client;

/// <summary>What was negotiated and exchanged in the TLS handshake.</summary>
/// <param name="Protocol">"TLS 1.3" or "TLS 1.2".</param>
/// <param name="Cipher">IANA cipher suite name.</param>
/// <param name="ServerChain">The certificates the server sent, leaf first.</param>
/// <param name="ClientCertificateRequested">True when the server asked for a client certificate.</param>
/// <param name="AcceptableIssuers">The CA names the server sent with its request (RFC 4514).</param>
/// <param name="ClientCertificateSent">Subject of the client certificate we sent, or null.</param>
public sealed record TlsInfo(string Protocol, string Cipher, IReadOnlyList<CertificateDescription> ServerChain,
    bool ClientCertificateRequested, IReadOnlyList<string> AcceptableIssuers, string? ClientCertificateSent);

/// <summary>Why a request failed; stable names, used in JSON.</summary>
public enum ClientFailureKind
{
    ConnectionRefused,
    PlainHttpPort,
    UntrustedServer,
    HostMismatch,
    ServerExpired,
    ClientCertificateRequired,
    ClientCertificateRejected,
    HttpError,
    Timeout,
    NotHttps,
    Other,
}

/// <summary>
/// What would fix a failure, named so a front end can say it in its own terms (`mtls get` names its flags);
/// the library's message gives the facts only. Stable names, used in JSON.
/// </summary>
public enum ClientRemedy
{
    None,
    /// <summary>Trust the CA that issued the server's certificate (or skip the check).</summary>
    TrustServerCa,
    /// <summary>Connect with a name the certificate lists, or reissue it with the host as a SAN.</summary>
    UseListedName,
    /// <summary>The certificate names the host only in its CN: reissue it with a SAN.</summary>
    ReissueWithSan,
    /// <summary>The server's certificate must be renewed (or this machine's clock is wrong).</summary>
    RenewServerCertificate,
    /// <summary>Present a client certificate.</summary>
    SendClientCertificate,
    /// <summary>Wait longer for the answer.</summary>
    WaitLonger,
}

/// <summary>A failure: one line of facts in the current UI culture (made when it happened), and what would fix it.</summary>
public sealed record ClientFailure(ClientFailureKind Kind, string Message)
{
    public ClientRemedy Remedy { get; init; }
}

/// <summary>The outcome of <see cref="MtlsClient.GetAsync"/>: whatever was learnt, even on failure.</summary>
public sealed record GetResult(int? StatusCode, string Body, TlsInfo? Tls, ClientFailure? Failure)
{
    public bool Success => Failure is null && StatusCode is >= 200 and < 300;
}
