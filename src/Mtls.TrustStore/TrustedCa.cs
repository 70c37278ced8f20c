using System.Security.Cryptography.X509Certificates;

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

    public string Subject => Certificate.Subject;

    /// <summary>The NSS nickname: "mtls &lt;CN&gt; &lt;8 hex&gt;".</summary>
    public string Nickname { get; }

    /// <summary>The system store's file name without extension: "mtls_&lt;CN&gt;_&lt;8 hex&gt;".</summary>
    public string FileStem { get; }

    /// <summary>Java's alias: "mtls-&lt;cn&gt;_&lt;8 hex&gt;".</summary>
    public string JavaAlias { get; }

    public string Pem => Certificate.ExportCertificatePem() + "\n";
}
