using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;

namespace Mtls.Pki.Revocation;

/// <summary>Reads CRLs (PEM "X509 CRL" or DER) and writes them as PEM.</summary>
public static class CrlFile
{
    private const string ReasonCodeOid = "2.5.29.21";
    private const string CrlNumberOid = "2.5.29.20";

    public static CertificateRevocationList Load(string path) => Parse(InputFile.ReadBytes(path), path);

    public static CertificateRevocationList Parse(byte[] bytes, string source)
    {
        var blocks = InputFile.ParseBlocks(bytes, source, "a CRL");
        var block = blocks.FirstOrDefault(b => b.Label is "X509 CRL" or "")
            ?? throw new MtlsException($"{source}: holds {PrivateKeyFile.Describe(blocks[0].Label)}, not a CRL; give the .crl file (made by 'mtls ca crl').");
        try
        {
            return Decode(block.Data, source);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException or OverflowException)
        {
            throw new MtlsException($"{source}: is not a valid CRL, or it is corrupt or truncated; fetch it again.", ExitCode.BadInput, e);
        }
    }

    private static CertificateRevocationList Decode(byte[] der, string source)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var list = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbs = list.PeekEncodedValue().ToArray();
        var tbsReader = list.ReadSequence();
        var algorithm = list.ReadSequence().ReadObjectIdentifier();
        var signature = list.ReadBitString(out _);
        list.ThrowIfNotEmpty();

        if (tbsReader.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            tbsReader.ReadInteger(); // version (v2)
        tbsReader.ReadSequence(); // inner signature algorithm: the outer one is the one we check
        var issuer = new X500DistinguishedName(tbsReader.ReadEncodedValue().Span);
        var thisUpdate = ReadTime(tbsReader);
        DateTimeOffset? nextUpdate = null;
        if (tbsReader.HasData && IsTime(tbsReader.PeekTag()))
            nextUpdate = ReadTime(tbsReader);

        var entries = new List<RevokedCertificate>();
        if (tbsReader.HasData && tbsReader.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbsReader.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                var serial = InventoryRecord.NormalizeSerial(Convert.ToHexString(entry.ReadIntegerBytes().Span));
                var at = ReadTime(entry);
                entries.Add(new RevokedCertificate(serial, at, entry.HasData ? ReadReason(entry.ReadSequence()) : null));
            }
        }

        BigInteger? number = null;
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 0);
        if (tbsReader.HasData && tbsReader.PeekTag().HasSameClassAndValue(extensionsTag))
        {
            var extensions = tbsReader.ReadSequence(extensionsTag).ReadSequence();
            while (extensions.HasData)
            {
                var (oid, value) = ReadExtension(extensions.ReadSequence());
                if (oid == CrlNumberOid) number = new AsnReader(value, AsnEncodingRules.DER).ReadInteger();
            }
        }
        return new CertificateRevocationList(source, issuer, thisUpdate, nextUpdate, number, entries, tbs, algorithm, signature, der);
    }

    private static X509RevocationReason? ReadReason(AsnReader extensions)
    {
        while (extensions.HasData)
        {
            var (oid, value) = ReadExtension(extensions.ReadSequence());
            if (oid == ReasonCodeOid)
                return new AsnReader(value, AsnEncodingRules.DER).ReadEnumeratedValue<X509RevocationReason>();
        }
        return null;
    }

    private static (string Oid, byte[] Value) ReadExtension(AsnReader extension)
    {
        var oid = extension.ReadObjectIdentifier();
        if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean)) extension.ReadBoolean();
        return (oid, extension.ReadOctetString());
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    public static string ToPem(byte[] der) => PemEncoding.WriteString("X509 CRL", der) + "\n";

    public static void Save(string path, byte[] der, bool force) => SecureFile.WriteText(path, ToPem(der), isPrivate: false, force);
}
