using System.Globalization;
using Mtls.Pki.Certificates;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>Wording shared by the failure messages.</summary>
internal static class Messages
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string PurposeOid(Purpose purpose) => purpose == Purpose.Client ? Oids.ClientAuth : Oids.ServerAuth;

    public static string PurposeText(Purpose purpose) => purpose == Purpose.Client ? Resources.Strings.Purpose_Client : Resources.Strings.Purpose_Server;

    public static string Usages(IEnumerable<string> oids) => string.Join(", ", oids.Select(Oids.Name));

    public static string KeyId(byte[]? id) => id is null ? "none" : Convert.ToHexString(id).ToLowerInvariant();
}
