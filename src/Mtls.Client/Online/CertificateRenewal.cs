using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;

namespace Mtls.Client.Online;

/// <summary>
/// One renewal over mTLS, reusable by a one-shot command and by a daemon: is the certificate due, ask the
/// CA with the current certificate as the TLS client certificate, write the result atomically (on a
/// rekey the new key first: a key without its certificate is harmless, the reverse is an outage).
/// </summary>
public static class CertificateRenewal
{
    /// <summary>A one-shot renewal is due once a third of the lifetime has passed (the CA's storm rule refuses earlier ones).</summary>
    public const double DueFraction = 1.0 / 3;

    /// <summary>When <paramref name="certificate"/> is due under <paramref name="fraction"/> of its lifetime (issued at notBefore plus the CA's clock skew).</summary>
    public static DateTimeOffset DueAt(X509Certificate2 certificate, double fraction)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var issued = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()) + CertificateAuthority.ClockSkew;
        if (issued >= notAfter) issued = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        return issued + (notAfter - issued) * fraction;
    }

    public static async Task<RenewalOutcome> RenewOnceAsync(RenewalRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (current, chain) = CertificateFile.LoadWithKey(request.CertificatePath, request.KeyPath, request.KeyPassword);
        var serial = Convert.ToHexString(current.SerialNumberBytes.Span);
        var due = DueAt(current, request.DueFraction);
        if (!request.IgnoreSchedule && request.Time.GetUtcNow() < due)
            return new RenewalOutcome(RenewalOutcomeKind.NotDueYet, Serial: serial, NotAfter: new DateTimeOffset(current.NotAfter.ToUniversalTime()), DueAt: due);

        using var newKey = request.Rekey ? Renewal.SpecOf(current.PublicKey).Generate() : null;
        var csr = newKey is null ? null : CsrFile.ToPem(CsrFile.Create(newKey, current.SubjectName, []));
        using var client = new OnlineCaClient(request.CaUrl, request.Trust, current, chain);
        var answer = await client.RenewAsync(csr, request.LifetimeSeconds, ct);
        if (answer.Problem is { } problem) return RenewalOutcome.Refused(problem);
        if (answer.Issued is not { } issued) return new RenewalOutcome(RenewalOutcomeKind.Unreachable, answer.Unreachable);

        var certificates = CertificateFile.ParseAll(Encoding.UTF8.GetBytes(issued.Certificate + issued.Chain), request.CaUrl.ToString());
        var renewed = certificates[0];
        var expectedKey = newKey is null ? current.PublicKey.ExportSubjectPublicKeyInfo() : newKey.ExportSubjectPublicKeyInfo();
        if (!renewed.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(expectedKey))
            return new RenewalOutcome(RenewalOutcomeKind.Refused, Resources.OnlineClient.Renew_OtherKey);
        var outPath = request.OutPath ?? request.CertificatePath;
        var keyOut = request.KeyOutPath ?? request.KeyPath;
        if (newKey is not null)
            PrivateKeyFile.Save(newKey, keyOut, request.KeyPassword, force: request.Force || SamePath(keyOut, request.KeyPath));
        CertificateFile.Save(outPath, certificates, force: request.Force || SamePath(outPath, request.CertificatePath));
        return new RenewalOutcome(RenewalOutcomeKind.Renewed, Serial: issued.Serial, NotAfter: new DateTimeOffset(renewed.NotAfter.ToUniversalTime()));
    }

    private static bool SamePath(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
