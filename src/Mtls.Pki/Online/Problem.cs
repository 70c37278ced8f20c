using System.Text.Json.Serialization;

namespace Mtls.Pki.Online;

/// <summary>An RFC 9457 problem (application/problem+json); <see cref="Type"/> is urn:mtls:error:NAME.</summary>
public sealed record Problem(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("status")] int Status)
{
    public const string TypePrefix = "urn:mtls:error:";

    /// <summary>The NAME of urn:mtls:error:NAME (the type as it is if it has another form).</summary>
    [JsonIgnore]
    public string Name => Type.StartsWith(TypePrefix, StringComparison.Ordinal) ? Type[TypePrefix.Length..] : Type;
}
