namespace Mtls.Ca.Acme;

/// <summary>
/// Signs a finalized order. Called only after the order's every identifier was validated and the CSR
/// was found to ask for exactly those names; the certificate must name the identifiers
/// and nothing else (the CSR is untrusted input). Returns the chain as PEM, leaf first.
/// A refusal is an <see cref="Mtls.Pki.MtlsException"/>: bad input (the CSR) becomes badCSR, anything else serverInternal.
/// </summary>
public interface IAcmeIssuer
{
    Task<string> IssueAsync(byte[] csrDer, IReadOnlyList<AcmeIdentifier> identifiers, CancellationToken cancellationToken);
}
