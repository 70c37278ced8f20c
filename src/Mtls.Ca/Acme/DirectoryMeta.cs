namespace Mtls.Ca.Acme;

/// <summary>The directory's "meta" (RFC 8555 7.1.1): no terms of service, no external account binding.</summary>
internal sealed record DirectoryMeta(bool ExternalAccountRequired);
