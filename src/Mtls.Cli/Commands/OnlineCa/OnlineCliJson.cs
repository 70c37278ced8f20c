using System.Text.Json.Serialization;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>The JSON of the online commands' --json output (source-generated: Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TokenSummary))]
[JsonSerializable(typeof(List<TokenSummary>))]
[JsonSerializable(typeof(EnrollSummary))]
internal sealed partial class OnlineCliJson : JsonSerializerContext;
