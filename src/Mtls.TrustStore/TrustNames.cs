using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mtls.TrustStore;

/// <summary>
/// The names mtls gives what it installs, derived from the certificate alone (its CN and the first 8 hex
/// digits of the SHA-256 of its DER), so that install, list, check and uninstall agree without any record.
/// </summary>
public static class TrustNames
{
    public const string NicknamePrefix = "mtls ";
    public const string ClientNicknamePrefix = "mtls client ";
    public const string FilePrefix = "mtls_";
    public const string JavaAliasPrefix = "mtls-";

    public static string ShortHash(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawData))[..8];

    public static string CommonName(X509Certificate2 certificate)
    {
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrWhiteSpace(cn) ? certificate.Subject : cn;
    }

    /// <summary>A name certutil accepts as one argument: no control characters, and no ':' (NSS reads "token:nickname").</summary>
    public static string Nickname(string prefix, X509Certificate2 certificate)
    {
        var cn = new StringBuilder();
        foreach (var c in CommonName(certificate).Take(64))
            cn.Append(char.IsControl(c) || c == ':' || char.IsSurrogate(c) ? '_' : c);
        return $"{prefix}{cn.ToString().Trim()} {ShortHash(certificate)}";
    }

    /// <summary>A file-name stem of [A-Za-z0-9._-] only (update-ca-certificates reads names unquoted in a shell loop).</summary>
    public static string FileStem(X509Certificate2 certificate)
    {
        var slug = new StringBuilder();
        foreach (var c in CommonName(certificate).Take(40))
            slug.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
        return $"{FilePrefix}{slug.ToString().Trim('_', '.')}_{ShortHash(certificate)}";
    }
}
