namespace Mtls.Pki.Inventory;

/// <summary>
/// What to renew: the certificate in <see cref="OldPath"/>, written anew to <see cref="OutPath"/>; with a
/// new key of the same kind in <see cref="KeyOutPath"/> when given (else the old key is kept); for
/// <see cref="Days"/> days, or as long as the old one was valid when null.
/// </summary>
public sealed record RenewalOrder(string OldPath, string OutPath, string? KeyOutPath, int? Days, bool Force);
