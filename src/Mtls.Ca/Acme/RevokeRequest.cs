namespace Mtls.Ca.Acme;

/// <summary>revokeCert's payload (RFC 8555 7.6): the certificate (base64url DER) and an optional RFC 5280 reason code.</summary>
internal sealed record RevokeRequest(string? Certificate, int? Reason);
