namespace Mtls.Ca.Acme;

/// <summary>
/// A certificate issued for an order: the chain as served (application/pem-certificate-chain), and the
/// leaf's SHA-256 fingerprint (hex, upper case), by which revokeCert finds the account that ordered it.
/// </summary>
public sealed record AcmeCertificate(string Id, string AccountId, string PemChain, string LeafSha256);
