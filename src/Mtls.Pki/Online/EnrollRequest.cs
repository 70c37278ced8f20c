using System.Text.Json.Serialization;

namespace Mtls.Pki.Online;

/// <summary>POST /v1/enroll: a one-time token, a PEM CSR, and optionally the lifetime wanted (seconds).</summary>
public sealed record EnrollRequest(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("csr")] string? Csr,
    [property: JsonPropertyName("lifetime_seconds")] long? LifetimeSeconds = null);
