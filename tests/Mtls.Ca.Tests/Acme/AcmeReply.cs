using System.Text.Json.Nodes;

namespace Mtls.Ca.Tests.Acme;

/// <summary>An ACME response as a test reads it.</summary>
public sealed record AcmeReply(int Status, string? ContentType, string Body, string? Location, string? Nonce)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    /// <summary>The error type without its urn:ietf:params:acme:error: prefix.</summary>
    public string? ProblemType => ContentType == "application/problem+json" ? ((string?)Json["type"])?.Replace("urn:ietf:params:acme:error:", "", StringComparison.Ordinal) : null;

    public override string ToString() => $"{Status} {ContentType} {Body}";
}
