using System.Text.Json.Serialization;

namespace Mtls.Pki.Online;

/// <summary>201 from /v1/enroll and /v1/renew: the leaf (PEM), the intermediates after it (PEM), its serial (hex) and notAfter (RFC 3339).</summary>
public sealed record IssuedAnswer(
    [property: JsonPropertyName("certificate")] string Certificate,
    [property: JsonPropertyName("chain")] string Chain,
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("not_after")] string NotAfter);
