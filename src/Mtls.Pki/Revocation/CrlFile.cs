using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;
using Mtls.Pki.Text;

namespace Mtls.Pki.Revocation;

/// <summary>Reads CRLs (PEM "X509 CRL" or DER) and writes them as PEM.</summary>
public static class CrlFile
{
    public static CertificateRevocationList Load(string path) => Parse(InputFile.ReadBytes(path), path);

    public static CertificateRevocationList Parse(byte[] bytes, string source)
    {
        var blocks = InputFile.ParseBlocks(bytes, source, Catalogue.Text("Kind_Crl"));
        var block = blocks.FirstOrDefault(b => b.Label is "X509 CRL" or "")
            ?? throw new MtlsException(Catalogue.Text("Crl_NotACrl", source, PrivateKeyFile.PemKind(blocks[0].Label)));
        try
        {
            return Decode(block.Data, source);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException or OverflowException)
        {
            throw new MtlsException(Language.Format(Resources.Sentences.Crl_Corrupt, source, e.Message.TrimEnd('.')), ExitCode.BadInput, e);
        }
    }

    // One CRL reader for the project: the validator's (Validation/Crl.cs), seen through the public type.
    private static CertificateRevocationList Decode(byte[] der, string source)
    {
        var crl = Validation.Crl.Parse(der);
        var entries = crl.InOrder
            .Select(e => new RevokedCertificate(InventoryRecord.NormalizeSerial(e.Key), e.Value.Date, (X509RevocationReason?)e.Value.Reason))
            .ToList();
        return new CertificateRevocationList(source, crl, entries, der);
    }

    public static string ToPem(byte[] der) => PemEncoding.WriteString("X509 CRL", der) + "\n";

    public static void Save(string path, byte[] der, bool force) => SecureFile.WriteText(path, ToPem(der), isPrivate: false, force);
}
