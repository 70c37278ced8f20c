namespace Mtls.Client;

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
