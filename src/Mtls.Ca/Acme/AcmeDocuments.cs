using System.Text.Json.Serialization;

namespace Mtls.Ca.Acme;

// The JSON objects of RFC 8555 7.1, as sent and received. Times are RFC 3339 strings (UTC, "Z").

internal sealed record DirectoryMeta(
    [property: JsonPropertyName("externalAccountRequired")] bool ExternalAccountRequired);

internal sealed record DirectoryDocument(string NewNonce, string NewAccount, string NewOrder, string KeyChange, DirectoryMeta Meta);

internal sealed record AccountDocument(string Status, IReadOnlyList<string> Contact, string Orders);

internal sealed record IdentifierDocument(string Type, string Value);

internal sealed record ProblemDocument(string Type, string Detail, int Status, IReadOnlyList<string>? Algorithms = null);

internal sealed record ChallengeDocument(string Type, string Url, string Token, string Status, string? Validated, ProblemDocument? Error);

internal sealed record AuthorizationDocument(IdentifierDocument Identifier, string Status, string Expires, IReadOnlyList<ChallengeDocument> Challenges);

internal sealed record OrderDocument(string Status, string Expires, IReadOnlyList<IdentifierDocument> Identifiers, IReadOnlyList<string> Authorizations,
    string Finalize, string? Certificate, ProblemDocument? Error);

internal sealed record OrderListDocument(IReadOnlyList<string> Orders);

internal sealed record NewAccountRequest(IReadOnlyList<string>? Contact, bool? TermsOfServiceAgreed, bool? OnlyReturnExisting);

internal sealed record AccountUpdateRequest(IReadOnlyList<string>? Contact, string? Status);

internal sealed record NewOrderRequest(IReadOnlyList<IdentifierDocument>? Identifiers, string? NotBefore, string? NotAfter);

internal sealed record FinalizeRequest(string? Csr);

internal sealed record KeyChangeRequest(string? Account, System.Text.Json.JsonElement? OldKey);

internal sealed record RevokeRequest(string? Certificate, int? Reason);

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
[JsonSerializable(typeof(KeyChangeRequest))]
[JsonSerializable(typeof(RevokeRequest))]
internal sealed partial class AcmeJsonContext : JsonSerializerContext;
