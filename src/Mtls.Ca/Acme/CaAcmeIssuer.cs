using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Names;

namespace Mtls.Ca.Acme;

/// <summary>
/// <see cref="IAcmeIssuer"/> over a CA made by <c>mtls ca create</c>: the server profile, SAN = the
/// authorized identifiers, subject CN = the first of them (the CSR's subject is the client's word, not
/// validated), recorded in the CA's inventory before it is handed out, as <c>mtls ca sign</c> does.
/// </summary>
public sealed class CaAcmeIssuer : IAcmeIssuer, IAcmeRevoker
{
    private readonly CertificateAuthority _ca;
    private readonly IReadOnlyList<X509Certificate2> _chain;
    private readonly CaInventory _inventory;
    private readonly int _days;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly System.Globalization.CultureInfo _language;
    private readonly Lock _inventoryLock = new(); // one SQLite connection: one writer at a time

    /// <param name="ca">the issuing CA (certificate and key)</param>
    /// <param name="chain">what follows the leaf in the served chain: the issuing CA and any intermediates, not the root</param>
    /// <param name="inventory">the CA's inventory; this issuer must be its only user in this process</param>
    /// <param name="days">the lifetime of issued certificates, within the server profile's limit</param>
    /// <param name="time">the clock (the system's by default)</param>
    /// <param name="log">where a line goes for each certificate issued or revoked (the CA's log)</param>
    /// <param name="language">the language of those lines (English by default)</param>
    public CaAcmeIssuer(CertificateAuthority ca, IReadOnlyList<X509Certificate2> chain, CaInventory inventory, int days, TimeProvider? time = null,
        Action<string>? log = null, System.Globalization.CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        _ca = ca;
        _chain = chain ?? [];
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _days = CertificateProfile.Server.ValidateDays(days);
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
        _language = language ?? Pki.Text.Language.English;
    }

    public Task<string> IssueAsync(byte[] csrDer, IReadOnlyList<AcmeIdentifier> identifiers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        var csr = CsrFile.Parse(csrDer, "CSR");
        var names = identifiers.Select(i => new SubjectAlternativeName(SanKind.Dns, i.Value)).ToList();
        // A fresh request carrying only the CSR's public key: every name comes from the identifiers.
        var request = new CertificateRequest(Subject(identifiers[0].Value), csr.PublicKey, HashAlgorithmName.SHA256);
        var now = _time.GetUtcNow();
        var issued = _ca.Issue(request, CertificateProfile.Server, _days, names, now).Certificate;
        lock (_inventoryLock)
            _inventory.Record([InventoryRecord.From(issued, CertificateProfile.Server.Name, now, path: null)]);
        _log(AcmeText.Format(nameof(Resources.Acme.Log_Issued), _language, InventoryRecord.SerialOf(issued),
            string.Join(", ", identifiers.Select(i => i.Value)), issued.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)));
        var pem = new StringBuilder(CertificateFile.ToPem(issued));
        foreach (var c in _chain) pem.Append(CertificateFile.ToPem(c));
        return Task.FromResult(pem.ToString());
    }

    /// <summary>Marks the certificate revoked in the inventory (the next CRL lists it); only one this CA recorded, byte for byte.</summary>
    public Task<AcmeRevocation> RevokeAsync(X509Certificate2 certificate, X509RevocationReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var serial = InventoryRecord.SerialOf(certificate);
        var sha256 = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        lock (_inventoryLock)
        {
            if (_inventory.Find(serial) is not { } record || record.Sha256Fingerprint != sha256)
                return Task.FromResult(AcmeRevocation.NotIssuedHere);
            if (!_inventory.Revoke(serial, _time.GetUtcNow(), reason)) return Task.FromResult(AcmeRevocation.AlreadyRevoked);
        }
        _log(AcmeText.Format(nameof(Resources.Acme.Log_Revoked), _language, serial, Pki.Revocation.RevocationReasons.Name(reason)));
        return Task.FromResult(AcmeRevocation.Revoked);
    }

    // CN = the first name when it fits (ub-common-name is 64), else an empty subject (RFC 5280 4.1.2.6 with a SAN).
    private static X500DistinguishedName Subject(string name)
    {
        if (name.Length > 64) return new X500DistinguishedName([0x30, 0x00]);
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(name);
        return builder.Build();
    }
}
