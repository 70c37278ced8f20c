namespace Mtls.Ca.Acme;

/// <summary>How a request must name its key (RFC 8555 6.2): newAccount by "jwk", everything else by "kid".</summary>
internal enum AcmeKeyRule { Jwk, Kid, Either }
