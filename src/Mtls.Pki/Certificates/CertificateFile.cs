using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;
using Mtls.Pki.Text;

namespace Mtls.Pki.Certificates;

/// <summary>Reads certificates (one, or a PEM bundle) and writes them as PEM.</summary>
public static class CertificateFile
{
    /// <summary>Every certificate in a PEM bundle, or the one in a DER file; other PEM blocks are an error.</summary>
    public static IReadOnlyList<X509Certificate2> LoadAll(string path) => ParseAll(InputFile.ReadBytes(path), path);

    public static IReadOnlyList<X509Certificate2> ParseAll(byte[] bytes, string source)
    {
        var blocks = InputFile.ParseBlocks(bytes, source, Catalogue.Text("Kind_Certificate"));
        var certs = new List<X509Certificate2>();
        foreach (var block in blocks)
        {
            if (block.Label is not ("CERTIFICATE" or "" or "TRUSTED CERTIFICATE"))
            {
                if (blocks.Count == 1 || block.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
                    throw new MtlsException(Catalogue.Text("Cert_NotACertificate", source, PrivateKeyFile.PemKind(block.Label)));
                continue; // bundles may carry other blocks (e.g. a key after the chain); certificates are what we read
            }
            try
            {
                certs.Add(X509CertificateLoader.LoadCertificate(block.Data));
            }
            catch (CryptographicException e)
            {
                var what = Catalogue.Text(block.Label == "" ? "Cert_NotDer" : "Cert_Corrupt");
                throw new MtlsException(Catalogue.Text("Cert_ReExport", source, what), ExitCode.BadInput, e);
            }
        }
        if (certs.Count == 0)
            throw new MtlsException(Catalogue.Text("Cert_None", source));
        return certs;
    }

    /// <summary>The first certificate of a file (the leaf of a chain file).</summary>
    public static X509Certificate2 Load(string path) => LoadAll(path)[0];

    /// <summary>
    /// A certificate file (leaf first, then any chain) with its private key: the leaf carries the key,
    /// the rest of the file is the chain to send. Fails when the key is not the certificate's.
    /// </summary>
    public static (X509Certificate2 Leaf, IReadOnlyList<X509Certificate2> Chain) LoadWithKey(string certPath, string keyPath, string? password)
    {
        var all = LoadAll(certPath);
        using var key = PrivateKeyFile.Load(keyPath, password);
        if (!PrivateKeyFile.Matches(key, all[0].PublicKey))
            throw new MtlsException(Catalogue.Text("Cert_KeyMismatch", keyPath, certPath));
        return (all[0].CopyWithPrivateKeyFor(key), all.Skip(1).ToList());
    }

    public static string ToPem(X509Certificate2 certificate) =>
        PemEncoding.WriteString("CERTIFICATE", certificate.RawData) + "\n";

    public static void Save(string path, IEnumerable<X509Certificate2> chain, bool force) =>
        SecureFile.WriteText(path, string.Concat(chain.Select(ToPem)), isPrivate: false, force);
}
