using System.Text.Json.Serialization;
using Mtls.TrustStore;

namespace Mtls.Cli.Commands.Trust;

/// <summary>Source-generated JSON for the trust commands (Native AOT), apart from the shared context.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(TrustCheckJson))]
[JsonSerializable(typeof(List<TrustEntry>))]
internal sealed partial class TrustJsonContext : JsonSerializerContext;
