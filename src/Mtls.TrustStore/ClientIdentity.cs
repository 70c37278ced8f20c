using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Names;

namespace Mtls.TrustStore;

/// <summary>A client certificate with its private key, for NSS (pk12util), under the nickname mtls gives it.</summary>
public sealed class ClientIdentity
{
    public ClientIdentity(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        Nickname = TrustNames.Nickname(TrustNames.ClientNicknamePrefix, certificate);
    }

    /// <summary>The leaf; it carries its private key for install (uninstall needs the certificate only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>RFC 4514, as every other mtls output shows a name (escaped: it is the certificate's text).</summary>
    public string Subject => DistinguishedName.Format(Certificate.SubjectName);

    /// <summary>"mtls client &lt;CN&gt; &lt;8 hex&gt;".</summary>
    public string Nickname { get; }

    /// <summary>The leaf and its key alone as PKCS#12 (no chain: uninstall then removes exactly what install added).</summary>
    public byte[] ExportPkcs12(string password) =>
        new X509Certificate2Collection { Certificate }.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
}
