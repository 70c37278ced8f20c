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
