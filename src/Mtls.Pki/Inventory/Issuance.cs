using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;

namespace Mtls.Pki.Inventory;

/// <summary>
/// The one rule for handing out what a CA signed: record it in the CA's inventory, then write its file.
/// A crash in between leaves a recorded certificate nobody received, which is harmless; the reverse
/// would be a certificate in the wild that the CA cannot list, renew or revoke. Every signer goes
/// through here (ca sign, cert renew, intermediate CAs, the workshop), so whatever mtls signs is in an
/// inventory.
/// </summary>
public static class Issuance
{
    /// <summary>
    /// Records <paramref name="issued"/> in one transaction, then runs <paramref name="writeKey"/> (a new
    /// private key goes before its certificate: a key without its certificate is harmless), then writes
    /// each certificate to its path with <paramref name="chain"/> after it.
    /// </summary>
    public static void RecordThenWrite(ICaStore inventory, IReadOnlyList<(X509Certificate2 Certificate, string Path)> issued,
        string profile, DateTimeOffset now, IReadOnlyList<X509Certificate2> chain, bool force, Action? writeKey = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(issued);
        inventory.Record(issued.Select(i => InventoryRecord.From(i.Certificate, profile, now, i.Path)));
        Write(issued, chain, force, writeKey);
    }

    /// <summary>As <see cref="RecordThenWrite"/> for a renewal: the new certificate is recorded and the old one marked superseded at once.</summary>
    public static void RecordRenewalThenWrite(ICaStore inventory, string oldSerial, X509Certificate2 renewed, string path,
        string profile, DateTimeOffset now, IReadOnlyList<X509Certificate2> chain, bool force, Action? writeKey = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        inventory.RecordRenewal(oldSerial, InventoryRecord.From(renewed, profile, now, path));
        Write([(renewed, path)], chain, force, writeKey);
    }

    private static void Write(IReadOnlyList<(X509Certificate2 Certificate, string Path)> issued, IReadOnlyList<X509Certificate2> chain, bool force, Action? writeKey)
    {
        writeKey?.Invoke();
        if (issued.Count == 1)
        {
            CertificateFile.Save(issued[0].Path, [issued[0].Certificate, .. chain], force);
            return;
        }
        // Each write waits for its fsync; in parallel the file system commits them together.
        Parallel.For(0, issued.Count, new ParallelOptions { MaxDegreeOfParallelism = 16 },
            i => CertificateFile.Save(issued[i].Path, [issued[i].Certificate, .. chain], force));
    }
}
