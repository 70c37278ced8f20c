namespace Mtls.Ca.Acme;

/// <summary>RFC 8555 7.1 JSON (times are RFC 3339 strings, UTC).</summary>
internal sealed record DirectoryDocument(string NewNonce, string NewAccount, string NewOrder, string? RevokeCert, string KeyChange, DirectoryMeta Meta);
