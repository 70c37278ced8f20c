namespace Mtls.Ca.Acme;

/// <summary>RFC 8555 7.1 JSON (times are RFC 3339 strings, UTC).</summary>
internal sealed record NewAccountRequest(IReadOnlyList<string>? Contact, bool? TermsOfServiceAgreed, bool? OnlyReturnExisting);
