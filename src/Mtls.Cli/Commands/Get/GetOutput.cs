using System.Text.Json.Serialization;
using Mtls.Cli.Output;
using Mtls.Client;
using Mtls.Pki.Inspection;

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
            w.WriteLine($"* TLS: {tls.Protocol}, cipher {tls.Cipher}");
            w.WriteLine($"* server certificate chain ({tls.ServerChain.Count} sent):");
            for (var i = 0; i < tls.ServerChain.Count; i++) Certificate(w, i, tls.ServerChain[i]);
            if (!tls.ClientCertificateRequested)
                w.WriteLine("* the server did not ask for a client certificate");
            else
            {
                w.WriteLine($"* the server asked for a client certificate issued by: {(tls.AcceptableIssuers.Count == 0 ? "(any CA; it named none)" : string.Join("; ", tls.AcceptableIssuers))}");
                w.WriteLine(tls.ClientCertificateSent is { } sent ? $"* sent client certificate: {sent}" : "* sent no client certificate");
            }
        }
        if (r.StatusCode is { } status)
            w.WriteLine($"* HTTP status {status}");
    }

    private static void Certificate(TextWriter w, int depth, CertificateDescription c)
    {
        w.WriteLine($"*  {depth} subject: {c.Subject}");
        w.WriteLine($"*    issuer:  {c.Issuer}");
        w.WriteLine($"*    valid:   {Describe.Time(c.NotBefore)} to {Describe.Time(c.NotAfter)} ({Describe.Expiry(c)})");
        w.WriteLine($"*    names:   {(c.SubjectAltNames.Count == 0 ? "(no subjectAltName)" : string.Join(", ", c.SubjectAltNames))}");
    }
}
