namespace Mtls.Pki.Inventory;

/// <summary>
/// Something the online CA did or refused, as its inventory records it: <see cref="Kind"/> is
/// "issued", "renewed" or "refused"; <see cref="Type"/> the outcome's name (e.g. token-used);
/// <see cref="Serial"/> the certificate concerned, if any.
/// </summary>
public sealed record CaEvent(DateTimeOffset At, string Kind, string Type, string Detail, string? Serial = null, string? Remote = null);
