using System.Text.Json.Serialization;

namespace Mtls.Ca.Acme;

/// <summary>Source-generated JSON (Native AOT) for the ACME documents sent and received, and for the objects <see cref="SqlAcmeStore"/> keeps.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DirectoryDocument))]
[JsonSerializable(typeof(AccountDocument))]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(ChallengeDocument))]
[JsonSerializable(typeof(AuthorizationDocument))]
[JsonSerializable(typeof(OrderDocument))]
[JsonSerializable(typeof(OrderListDocument))]
[JsonSerializable(typeof(NewAccountRequest))]
[JsonSerializable(typeof(AccountUpdateRequest))]
[JsonSerializable(typeof(NewOrderRequest))]
[JsonSerializable(typeof(FinalizeRequest))]
[JsonSerializable(typeof(RevokeRequest))]
[JsonSerializable(typeof(AcmeAccount))]
[JsonSerializable(typeof(AcmeOrder))]
[JsonSerializable(typeof(AcmeAuthorization))]
[JsonSerializable(typeof(AcmeCertificate))]
internal sealed partial class AcmeJsonContext : JsonSerializerContext;
