using System.Text.Json.Serialization;

namespace Mtls.Pki.Online;

/// <summary>GET /health: the CA is up, and which CA it is (its subject and SHA-256 fingerprint, hex).</summary>
public sealed record CaHealth(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("ca")] string Ca,
    [property: JsonPropertyName("ca_sha256")] string CaSha256);
