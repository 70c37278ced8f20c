using System.Text.Json.Serialization;

namespace Mtls.Pki.Online;

/// <summary>
/// POST /v1/renew (over mTLS with the current certificate): a CSR only to change the key (its subject
/// and names are ignored: a renewal keeps the old ones), and optionally the lifetime wanted (seconds).
/// </summary>
public sealed record RenewRequest(
    [property: JsonPropertyName("csr")] string? Csr = null,
    [property: JsonPropertyName("lifetime_seconds")] long? LifetimeSeconds = null);
