using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Names;

namespace Mtls.TrustStore;

/// <summary>A CA certificate to trust, with every name mtls gives it in the stores.</summary>
public sealed class TrustedCa
{
    public TrustedCa(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        Nickname = TrustNames.Nickname(TrustNames.NicknamePrefix, certificate);
        FileStem = TrustNames.FileStem(certificate);
        // keytool lower-cases aliases; keep ours lower-case so list and delete find it as written.
        JavaAlias = TrustNames.JavaAliasPrefix + FileStem[TrustNames.FilePrefix.Length..].ToLowerInvariant();
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>RFC 4514, as every other mtls output shows a name (escaped: it is the certificate's text).</summary>
    public string Subject => DistinguishedName.Format(Certificate.SubjectName);

    /// <summary>The NSS nickname: "mtls &lt;CN&gt; &lt;8 hex&gt;".</summary>
    public string Nickname { get; }

    /// <summary>The system store's file name without extension: "mtls_&lt;CN&gt;_&lt;8 hex&gt;".</summary>
    public string FileStem { get; }

    /// <summary>Java's alias: "mtls-&lt;cn&gt;_&lt;8 hex&gt;".</summary>
    public string JavaAlias { get; }

    public string Pem => Certificate.ExportCertificatePem() + "\n";
}
