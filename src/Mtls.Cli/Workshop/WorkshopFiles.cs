using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;
using Mtls.Pki.Trust;

namespace Mtls.Cli.Workshop;

/// <summary>A file the workshop made or found, for the narrative.</summary>
internal sealed record Made(string Path, bool Created, string? Note = null);

/// <summary>
/// The workshop's files in the seed's layout. Each Ensure method reuses what an earlier run left when it
/// is still consistent with what it depends on, and otherwise (re)creates it; anything downstream of a
/// re-created file is re-created too. Its CAs keep an inventory like any other (server-ca/server-ca.db):
/// what they sign is recorded, so the learner can go on with ca list, cert renew and ca revoke.
/// </summary>
internal sealed class WorkshopFiles(string root)
{
    public const string ServerCaSubject = "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com";
    public const string ClientCaSubject = "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.client.example.com";
    public const string ServerSubject = "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost";
    public const string ClientSubject = "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=Super Client";
    public const int Days = 365;

    public static readonly string[] Folders = ["server-ca", "server", "client-ca", "client", "impostor", "worker"];

    public string Root { get; } = root;

    public string this[string relative] => Path.Combine(Root, relative);

    public void CreateFolders()
    {
        foreach (var folder in Folders) Directory.CreateDirectory(this[folder]);
    }

    private static readonly string[] Written = [".crt", ".key", ".csr", ".crl", ".db", ".db-wal", ".db-shm"];

    /// <summary>Deletes only the files the workshop itself writes.</summary>
    public void Clean()
    {
        foreach (var folder in Folders)
        {
            var dir = this[folder];
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir).Where(f => Written.Any(e => f.EndsWith(e, StringComparison.Ordinal))))
                File.Delete(file);
        }
    }

    public (CertificateAuthority Ca, Made Made) EnsureCa(string cert, string key, string subject, DateTimeOffset now)
    {
        string certPath = this[cert], keyPath = this[key];
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var existing = CertificateAuthority.Load(certPath, keyPath, null);
            if (existing.Certificate.NotAfter.ToUniversalTime() > now.AddDays(1).UtcDateTime)
                return (existing, new Made($"{cert}, {key}", false));
            existing.Dispose();
        }
        var ca = CertificateAuthority.CreateRoot(DistinguishedName.Parse(subject), KeySpec.P384, Days, now);
        // The inventory of the CA this one replaces lists certificates of a CA that is gone.
        var db = CaInventory.DefaultPath(certPath);
        foreach (var stale in (string[])[db, db + "-wal", db + "-shm"]) File.Delete(stale);
        PrivateKeyFile.Save(ca.Key, keyPath, null, force: true);
        CertificateFile.Save(certPath, [ca.Certificate], force: true);
        return (ca, new Made($"{cert}, {key}", true));
    }

    public (AsymmetricAlgorithm Key, Made Made) EnsureKey(string key)
    {
        var path = this[key];
        if (File.Exists(path))
            return (PrivateKeyFile.Load(path), new Made(key, false));
        var created = KeySpec.P384.Generate();
        PrivateKeyFile.Save(created, path, null, force: true);
        return (created, new Made(key, true));
    }

    public (CertificateRequest Csr, Made Made) EnsureCsr(string csr, AsymmetricAlgorithm key, string subject, bool upstreamCreated)
    {
        var path = this[csr];
        if (!upstreamCreated && File.Exists(path))
        {
            var existing = CsrFile.Load(path);
            if (PrivateKeyFile.Matches(key, existing.PublicKey))
                return (existing, new Made(csr, false));
        }
        var request = CsrFile.Create(key, DistinguishedName.Parse(subject), []);
        File.WriteAllText(path, CsrFile.ToPem(request));
        return (CsrFile.Load(path), new Made(csr, true));
    }

    /// <summary>
    /// The certificate signed by the CA whose certificate file is <paramref name="caCert"/>, recorded in
    /// that CA's inventory (a reused certificate that an older mtls did not record is recorded now).
    /// </summary>
    public (X509Certificate2 Cert, IReadOnlyList<string> Notes, Made Made) EnsureSigned(string cert, CertificateRequest csr, CertificateAuthority ca, string caCert,
        CertificateProfile profile, bool upstreamCreated, DateTimeOffset now)
    {
        var path = this[cert];
        using var inventory = CaInventory.Open(CaInventory.DefaultPath(this[caCert]), ca.Certificate);
        if (!upstreamCreated && File.Exists(path))
        {
            var existing = CertificateFile.Load(path);
            var sameKey = existing.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(csr.PublicKey.ExportSubjectPublicKeyInfo());
            var stillGood = new ChainVerifier([ca.Certificate]).Verify(existing, null, new VerifyOptions
            {
                Purpose = profile == CertificateProfile.Server ? Purpose.Server : Purpose.Client,
                At = now.AddDays(1),
            }).IsValid;
            if (sameKey && stillGood)
            {
                if (inventory.Find(InventoryRecord.SerialOf(existing)) is null)
                    inventory.Record([InventoryRecord.From(existing, profile.Name, now, path)]);
                return (existing, [], new Made(cert, false));
            }
        }
        var issued = ca.Issue(csr, profile, Days, [], now);
        Issuance.RecordThenWrite(inventory, [(issued.Certificate, path)], profile.Name, now, [], force: true);
        return (issued.Certificate, issued.Notes, new Made(cert, true));
    }

    /// <summary>Loads a certificate with its key, for the servers and the client.</summary>
    public X509Certificate2 WithKey(string cert, string key) => CertificateFile.LoadWithKey(this[cert], this[key], null).Leaf;
}
