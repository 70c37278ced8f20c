using System.Text.Json.Serialization;
using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using Mtls.Client;
using Mtls.Pki.Inspection;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.Get;

/// <summary>`mtls get --json` output; field names are a stable interface.</summary>
internal sealed record GetJson(string Url, bool Success, int? StatusCode, string Body, TlsInfo? Tls, ClientFailure? Failure);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never, UseStringEnumConverter = true)]
[JsonSerializable(typeof(GetJson))]
internal sealed partial class GetJsonContext : JsonSerializerContext;

/// <summary>What `mtls get` prints besides the body: the curl -v style report on stderr, and JSON.</summary>
internal static class GetOutput
{
    public static GetJson ToJson(Uri url, GetResult r) => new(url.ToString(), r.Success, r.StatusCode, r.Body, r.Tls, r.Failure);

    public static void Verbose(TextWriter w, Uri url, GetResult r)
    {
        w.WriteLine($"* {url}");
        if (r.Tls is { } tls)
        {
            w.WriteLine(Language.Format(VerifyGet.Get_Verbose_Tls, tls.Protocol, tls.Cipher));
            w.WriteLine(Language.Format(VerifyGet.Get_Verbose_Chain, tls.ServerChain.Count));
            for (var i = 0; i < tls.ServerChain.Count; i++) Certificate(w, i, tls.ServerChain[i]);
            if (!tls.ClientCertificateRequested)
                w.WriteLine(VerifyGet.Get_Verbose_NotAsked);
            else
            {
                w.WriteLine(Language.Format(VerifyGet.Get_Verbose_Asked, tls.AcceptableIssuers.Count == 0 ? VerifyGet.Get_Verbose_AnyCa : string.Join("; ", tls.AcceptableIssuers)));
                w.WriteLine(tls.ClientCertificateSent is { } sent ? Language.Format(VerifyGet.Get_Verbose_Sent, sent) : VerifyGet.Get_Verbose_SentNone);
            }
        }
        if (r.StatusCode is { } status)
            w.WriteLine(Language.Format(VerifyGet.Get_Verbose_Status, status));
    }

    private static void Certificate(TextWriter w, int depth, CertificateDescription c)
    {
        w.WriteLine(Language.Format(VerifyGet.Get_Verbose_Subject, depth, c.Subject));
        w.WriteLine(Language.Format(VerifyGet.Get_Verbose_Issuer, c.Issuer));
        w.WriteLine(Language.Format(VerifyGet.Get_Verbose_Valid, Describe.Time(c.NotBefore), Describe.Time(c.NotAfter), Describe.Expiry(c)));
        w.WriteLine(Language.Format(VerifyGet.Get_Verbose_Names, c.SubjectAltNames.Count == 0 ? VerifyGet.Get_Verbose_NoSan : string.Join(", ", c.SubjectAltNames)));
    }
}
