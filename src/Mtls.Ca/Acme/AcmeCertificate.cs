namespace Mtls.Ca.Acme;

/// <summary>A certificate issued for an order: the chain as served (application/pem-certificate-chain).</summary>
public sealed record AcmeCertificate(string Id, string AccountId, string PemChain);
