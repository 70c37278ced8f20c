using System.Security.Cryptography.X509Certificates;

namespace Mtls.Ca.Acme;

/// <summary>
/// Revokes a certificate this CA issued (revokeCert, RFC 8555 7.6), after the ACME layer has checked that
/// the requester may: the account that ordered it, or the holder of its private key. Optional: when the
/// issuer given to MapAcme implements it, the directory offers revokeCert.
/// </summary>
public interface IAcmeRevoker
{
    Task<AcmeRevocation> RevokeAsync(X509Certificate2 certificate, X509RevocationReason reason, CancellationToken cancellationToken);
}
