using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Online;
using Mtls.Pki.Trust;

namespace Mtls.Ca;

/// <summary>
/// POST /v1/renew over mTLS: the client authenticates with its current certificate (the TLS handshake
/// proves it holds the key) and gets a new one with the same subject, names and profile, for the same
/// key or the key of the CSR it sends (rekey). Refused, each with its own problem type: no client
/// certificate; one this CA did not issue (not in its inventory, or not chaining to it); a revoked one;
/// one expired longer ago than the grace; one already renewed (only the newest of a renewal chain renews,
/// enforced by the store); one renewed too early in its life (the storm rule, <see cref="CaServerOptions.RenewAfterFraction"/>).
/// </summary>
internal static class RenewalEndpoint
{
    public static async Task RenewAsync(HttpContext http, CaContext ca)
    {
        var current = await http.Connection.GetClientCertificateAsync(http.RequestAborted)
            ?? throw CaContext.Refuse(RefusalNames.NoClientCertificate, CaText.Say("Refuse_NoClientCertificate"));
        var now = ca.Time.GetUtcNow();
        var record = Judge(ca, current, now);
        var body = await RequestBody.ReadAsync(http, OnlineJson.Default.RenewRequest) ?? new RenewRequest();
        var publicKey = body.Csr is null ? current.PublicKey : CsrPolicy.Parse(body.Csr).PublicKey;
        if (body.Csr is null) CsrPolicy.RequireStrongKey(publicKey);
        var lifetime = body.LifetimeSeconds is null ? SameLifetime(ca, record) : ca.Lifetime(body.LifetimeSeconds);
        CertificateProfile profile;
        try { profile = Renewal.ProfileOf(current, record.Serial); }
        catch (Pki.MtlsException e) { throw CaContext.Refuse(RefusalNames.NotIssuedHere, e.Message, record.Serial); }
        using var renewed = ca.Issue(Renewal.RequestFor(current, publicKey), profile, lifetime, now);
        var newRecord = InventoryRecord.From(renewed, profile.Name, now, null);
        var logLine = CaText.Format("Log_Renewed", ca.Options.Language, newRecord.Subject, record.Serial, newRecord.Serial, Enrollment.Time(newRecord.NotAfter));
        if (!ca.Store.TryRecordRenewal(record.Serial, newRecord, Enrollment.Recorded(http, "renewed", newRecord.Serial, logLine, now)))
            throw Superseded(ca.Store.Find(record.Serial) ?? record);
        await Enrollment.Answer(http, ca, renewed, logLine);
    }

    /// <summary>The inventory's record of the presented certificate, if it may renew now; else the refusal that says why not.</summary>
    private static InventoryRecord Judge(CaContext ca, X509Certificate2 current, DateTimeOffset now)
    {
        var serial = InventoryRecord.SerialOf(current);
        var record = ca.Store.Find(serial);
        var fingerprint = Convert.ToHexString(current.GetCertHash(HashAlgorithmName.SHA256));
        if (record is null || !string.Equals(record.Sha256Fingerprint, fingerprint, StringComparison.Ordinal))
            throw CaContext.Refuse(RefusalNames.NotIssuedHere, CaText.Say("Refuse_NotIssuedHere", serial, ca.CaSubject), serial);
        if (record.RevokedAt is { } revokedAt)
            throw CaContext.Refuse(RefusalNames.Revoked, CaText.Say("Refuse_Revoked", serial, Enrollment.Time(revokedAt)), serial);
        if (record.SupersededBy is not null)
            throw Superseded(record);
        if (now > record.NotAfter + ca.Options.RenewGrace)
            throw CaContext.Refuse(RefusalNames.ExpiredPastGrace, CaText.Say("Refuse_ExpiredPastGrace", serial, Enrollment.Time(record.NotAfter),
                (long)ca.Options.RenewGrace.TotalSeconds), serial);
        // The signature and the chain, by Pki's validator against this CA only; within the grace window the
        // validity is judged at the last second of the certificate's life.
        var at = now > record.NotAfter ? record.NotAfter.AddSeconds(-1) : now;
        if (ca.Verify(current, at).Failure is { } failure)
            throw CaContext.Refuse(failure.Reason == FailureReason.Revoked ? RefusalNames.Revoked : RefusalNames.NotIssuedHere,
                CaText.Say("Refuse_Unverified", serial, failure.Message), serial);
        var lifetime = record.NotAfter - record.IssuedAt;
        var earliest = record.IssuedAt + lifetime * ca.Options.RenewAfterFraction;
        if (now < earliest)
            throw CaContext.Refuse(RefusalNames.RenewingTooOften, CaText.Say("Refuse_TooOften", serial, Enrollment.Time(record.IssuedAt),
                Enrollment.Time(record.NotAfter), Enrollment.Time(earliest)), serial);
        return record;
    }

    /// <summary>A renewal without a lifetime asked for keeps the old one's (within the CA's bounds).</summary>
    private static TimeSpan SameLifetime(CaContext ca, InventoryRecord record)
    {
        var seconds = (long)Math.Round((record.NotAfter - record.IssuedAt).TotalSeconds);
        return TimeSpan.FromSeconds(Math.Clamp(seconds, (long)CaServerOptions.MinLifetime.TotalSeconds, (long)ca.Options.MaxLifetime.TotalSeconds));
    }

    private static CaRefusal Superseded(InventoryRecord record) =>
        CaContext.Refuse(RefusalNames.Superseded, CaText.Say("Refuse_Superseded", record.Serial, record.SupersededBy ?? "?"), record.Serial);
}
