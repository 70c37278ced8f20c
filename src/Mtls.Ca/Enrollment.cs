using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Names;
using Mtls.Pki.Online;

namespace Mtls.Ca;

/// <summary>
/// POST /v1/enroll: a one-time token and a CSR in, a certificate out. The token names what may be
/// issued (names, profile, and perhaps the subject CN); the CSR proves the key and may ask for a subset of those names (none:
/// all of them). The token is used in the same transaction that records the certificate, so of any
/// number of concurrent requests with one token (on any node of the store) exactly one gets a certificate.
/// </summary>
internal static class Enrollment
{
    public static async Task EnrollAsync(HttpContext http, CaContext ca)
    {
        var body = await RequestBody.ReadAsync(http, OnlineJson.Default.EnrollRequest)
            ?? throw CaContext.Refuse(RefusalNames.BadRequest, CaText.Say("Refuse_NoBody"));
        if (string.IsNullOrWhiteSpace(body.Token))
            throw CaContext.Refuse(RefusalNames.TokenUnknown, CaText.Say("Refuse_TokenUnknown"));
        var hash = EnrollmentToken.Hash(body.Token);
        var now = ca.Time.GetUtcNow();
        var token = ca.Store.FindToken(hash) ?? throw CaContext.Refuse(RefusalNames.TokenUnknown, CaText.Say("Refuse_TokenUnknown"));
        Check(token, now);
        var csr = CsrPolicy.Parse(body.Csr);
        var lifetime = ca.Lifetime(body.LifetimeSeconds);
        var request = Request(csr, token);
        var profile = CertificateProfile.Get(token.Profile);
        using var issued = ca.Issue(request, profile, lifetime, now);
        var record = InventoryRecord.From(issued, profile.Name, now, null);
        var logLine = CaText.Format("Log_Issued", ca.Options.Language, record.Subject, record.Serial, Time(record.NotAfter));
        switch (ca.Store.RedeemToken(hash, now, record, Recorded(http, "issued", record.Serial, logLine, now)))
        {
            case TokenRedemption.Redeemed: break;
            case TokenRedemption.Expired: throw CaContext.Refuse(RefusalNames.TokenExpired, CaText.Say("Refuse_TokenExpired", Time(token.ExpiresAt)));
            case TokenRedemption.AlreadyUsed: throw CaContext.Refuse(RefusalNames.TokenUsed, UsedDetail(ca.Store.FindToken(hash) ?? token));
            default: throw CaContext.Refuse(RefusalNames.TokenUnknown, CaText.Say("Refuse_TokenUnknown"));
        }
        await Answer(http, ca, issued, logLine);
    }

    private static void Check(TokenRecord token, DateTimeOffset now)
    {
        if (token.UsedAt is not null) throw CaContext.Refuse(RefusalNames.TokenUsed, UsedDetail(token));
        if (token.ExpiresAt <= now) throw CaContext.Refuse(RefusalNames.TokenExpired, CaText.Say("Refuse_TokenExpired", Time(token.ExpiresAt)));
    }

    private static string UsedDetail(TokenRecord token) =>
        CaText.Say("Refuse_TokenUsed", token.UsedAt is { } at ? Time(at) : "?", token.UsedBy ?? "?");

    /// <summary>
    /// The request actually signed: the CSR's key, names from the token only, and a subject chosen here.
    /// The CSR may ask for fewer names than the token allows, never others. A token that binds a CN (a
    /// client's identity, `ca token --cn "Super Client"`) gives the subject exactly CN=&lt;that CN&gt;: the
    /// CSR's other subject attributes are dropped, and a CSR CN that differs is refused. Otherwise the
    /// CSR's subject is kept, its CN (if any) must be one of the names, and an empty subject gets the
    /// first name as its CN.
    /// </summary>
    private static CertificateRequest Request(CertificateRequest csr, TokenRecord token)
    {
        var allowed = token.Names.Select(SubjectAlternativeName.Parse).ToList();
        var asked = CsrFile.RequestedNames(csr).ToList();
        var cn = DistinguishedName.CommonName(csr.SubjectName);
        var refused = asked.Where(n => !allowed.Contains(n)).Select(n => n.ToString()).ToList();
        var cnAllowed = string.IsNullOrEmpty(cn) || (token.CommonName is { } bound
            ? string.Equals(cn, bound, StringComparison.Ordinal)
            : allowed.Any(n => string.Equals(n.Value, cn, StringComparison.OrdinalIgnoreCase)));
        if (!cnAllowed) refused.Insert(0, "CN=" + cn);
        if (refused.Count > 0)
        {
            var allows = token.CommonName is { } b ? token.Names.Prepend("CN=" + b) : token.Names;
            throw CaContext.Refuse(RefusalNames.NamesNotAllowed, CaText.Say("Refuse_NamesNotAllowed", string.Join(", ", refused), string.Join(", ", allows)));
        }
        var names = asked.Count > 0 ? asked : allowed;
        var subject = csr.SubjectName;
        var subjectCn = token.CommonName ?? (string.IsNullOrEmpty(cn) && names.Count > 0 ? names[0].Value : null);
        if (subjectCn is not null)
        {
            var builder = new X500DistinguishedNameBuilder();
            builder.AddCommonName(subjectCn);
            subject = builder.Build();
        }
        var request = new CertificateRequest(subject, csr.PublicKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        if (names.Count > 0) request.CertificateExtensions.Add(SubjectAlternativeName.BuildExtension(names));
        return request;
    }

    /// <summary>
    /// The event of a certificate issued or renewed, for the store to record in the same transaction as
    /// the certificate: one commit (one fsync) per request, and no certificate without its event.
    /// </summary>
    public static CaEvent Recorded(HttpContext http, string kind, string serial, string logLine, DateTimeOffset now) =>
        new(now, kind, kind, logLine, serial, http.Connection.RemoteIpAddress?.ToString());

    /// <summary>The 201 answer (leaf, chain, serial, notAfter) and the log line; the event was recorded with the certificate.</summary>
    public static async Task Answer(HttpContext http, CaContext ca, X509Certificate2 issued, string logLine)
    {
        ca.Log(logLine);
        var answer = new IssuedAnswer(CertificateFile.ToPem(issued), ca.ChainPem, InventoryRecord.SerialOf(issued), Time(new DateTimeOffset(issued.NotAfter.ToUniversalTime())));
        await CoreEndpoints.Json(http, StatusCodes.Status201Created, answer, OnlineJson.Default.IssuedAnswer);
    }

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
