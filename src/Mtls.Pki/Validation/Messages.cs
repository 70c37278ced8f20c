using System.Globalization;
using Mtls.Pki.Certificates;
using Mtls.Pki.Text;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>Wording shared by the failure messages.</summary>
internal static class Messages
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string PurposeOid(Purpose purpose) => purpose == Purpose.Client ? Oids.ClientAuth : Oids.ServerAuth;

    /// <summary>A phrase, not a string: the purpose is told in the reader's language.</summary>
    public static Phrase PurposeText(Purpose purpose) => Phrase.Pki(purpose == Purpose.Client ? "Purpose_Client" : "Purpose_Server");

    public static string Usages(IEnumerable<string> oids) => string.Join(", ", oids.Select(Oids.Name));

    public static object KeyId(byte[]? id) => id is null ? Phrase.Pki("Names_None") : Convert.ToHexString(id).ToLowerInvariant();
}
