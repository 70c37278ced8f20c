using System.Security.Cryptography;
using System.Text;

namespace Mtls.Ca;

/// <summary>
/// One-time enrollment tokens: 32 random bytes (256 bits) in base64url; the store keeps only the
/// SHA-256 of the token's text (hex), so a copy of the database enrolls nobody.
/// </summary>
public static class EnrollmentToken
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim())));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
