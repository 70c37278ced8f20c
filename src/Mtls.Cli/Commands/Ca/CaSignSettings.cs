using Mtls.Pki.Certificates;
using Mtls.Pki.Names;

namespace Mtls.Cli.Commands.Ca;

/// <summary>`mtls ca sign`'s options, parsed and checked: the CSRs and their output files (same order), the CA, the profile.</summary>
internal sealed record CaSignSettings(
    IReadOnlyList<string> Csrs,
    IReadOnlyList<string> Outputs,
    string CaCert,
    string CaKey,
    string? CaKeyPasswordFile,
    string? Db,
    CertificateProfile Profile,
    int Days,
    IReadOnlyList<SubjectAlternativeName> Sans,
    bool Force,
    bool Json);
