using System.Text.Json.Serialization;

namespace Mtls.Pki.Online;

/// <summary>
/// The online CA's wire contract (README, "Running an online CA"), shared by the CA (Mtls.Ca) and its
/// clients (Mtls.Client) so that both sides read and write the same fields. Source-generated (Native AOT).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CaHealth))]
[JsonSerializable(typeof(EnrollRequest))]
[JsonSerializable(typeof(RenewRequest))]
[JsonSerializable(typeof(IssuedAnswer))]
[JsonSerializable(typeof(Problem))]
public sealed partial class OnlineJson : JsonSerializerContext;
