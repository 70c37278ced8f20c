namespace Mtls.Ca.Report;

/// <summary>The CA a report is about, as the page shows it (names already in RFC 4514 form).</summary>
public sealed record ReportAuthority(
    string Subject,
    string Issuer,
    bool SelfSigned,
    string Serial,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string KeyType,
    string Sha256Fingerprint);
