using Mtls.Pki.Certificates;
using Mtls.Pki.Names;

namespace Mtls.Pki.Inventory;

/// <summary>
/// What to sign: CSR files, each with the certificate file it becomes (same order), under one profile,
/// for <see cref="Days"/> days (clamped to the CA's end), with <see cref="ExtraNames"/> added to each.
/// </summary>
public sealed record SignOrder(IReadOnlyList<string> CsrPaths, IReadOnlyList<string> OutPaths, CertificateProfile Profile, int Days,
    IReadOnlyList<SubjectAlternativeName> ExtraNames, bool Force);
