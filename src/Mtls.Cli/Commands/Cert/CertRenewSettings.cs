namespace Mtls.Cli.Commands.Cert;

/// <summary>`mtls cert renew`'s options, parsed and checked: the old certificate, where the new one (and a new key, for --rekey) go, the CA.</summary>
internal sealed record CertRenewSettings(
    string Cert,
    string Out,
    string? KeyOut,
    string? KeyPasswordFile,
    int? Days,
    string CaCert,
    string CaKey,
    string? CaKeyPasswordFile,
    string? Db,
    bool Force,
    bool Json);
