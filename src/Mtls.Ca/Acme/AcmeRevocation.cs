namespace Mtls.Ca.Acme;

/// <summary>What a revocation request came to.</summary>
public enum AcmeRevocation { Revoked, AlreadyRevoked, NotIssuedHere }
