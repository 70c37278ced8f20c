using System.Security.Cryptography;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;

namespace Mtls.Pki.Tests;

/// <summary>
/// The rules of handing out certificates, in the library (not in `ca sign` / `cert renew`): what is signed
/// is recorded and written with the CA's chain; a renewal must match the inventory row of what it replaces.
/// </summary>
public sealed class IssuingCaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Ca(string name)
    {
        using var ca = TestPki.Root($"/O=Kame/CN={name}", Now.AddDays(-1));
        return TestPki.SaveCa(ca, _dir.Path, name);
    }

    private string Csr(string name)
    {
        using var key = KeySpec.P256.Generate();
        var path = _dir[name + ".csr"];
        File.WriteAllText(path, CsrFile.ToPem(CsrFile.Create(key, DistinguishedName.Parse($"/CN={name}.example"), [])));
        return path;
    }

    private IssuingCa Open(string name) => IssuingCa.Open(_dir[name + ".crt"], _dir[name + ".key"], null, null);

    [Fact]
    public void Sign_records_every_certificate_and_writes_each_file()
    {
        Ca("ca");
        using var ca = Open("ca");
        var issued = ca.Sign(new SignOrder([Csr("a"), Csr("b")], [_dir["a.crt"], _dir["b.crt"]], CertificateProfile.Server, 30, [], false), Now);

        Assert.Equal(2, issued.Count);
        var rows = ca.Inventory.List();
        Assert.Equal(issued.Select(i => InventoryRecord.SerialOf(i.Certificate)).Order(), rows.Select(r => r.Serial).Order());
        Assert.Equal([_dir["a.crt"], _dir["b.crt"]], rows.Select(r => r.Path).Order());
        Assert.Equal(issued[0].Certificate.RawData, CertificateFile.LoadAll(_dir["a.crt"])[0].RawData);
    }

    [Fact]
    public void Renew_replaces_the_row_and_with_a_new_key_writes_the_key()
    {
        Ca("ca");
        using var ca = Open("ca");
        var old = ca.Sign(new SignOrder([Csr("a")], [_dir["a.crt"]], CertificateProfile.Client, 30, [], false), Now)[0].Certificate;

        var renewed = ca.Renew(new RenewalOrder(_dir["a.crt"], _dir["a2.crt"], _dir["a2.key"], null, false), () => null, Now.AddDays(1));

        Assert.Equal(CertificateProfile.Client.Name, renewed.Profile.Name);
        Assert.Equal(InventoryRecord.SerialOf(old), renewed.Replaced.Serial);
        Assert.Equal(InventoryRecord.SerialOf(renewed.Issued.Certificate), ca.Inventory.Find(renewed.Replaced.Serial)!.SupersededBy);
        using var key = PrivateKeyFile.Load(_dir["a2.key"], null);
        Assert.Equal(renewed.Issued.Certificate.PublicKey.ExportSubjectPublicKeyInfo(), ((ECDsa)key).ExportSubjectPublicKeyInfo());
        Assert.NotEqual(old.PublicKey.ExportSubjectPublicKeyInfo(), renewed.Issued.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Renew_refuses_what_another_ca_issued_and_writes_nothing()
    {
        Ca("ca");
        Ca("other");
        using (var other = Open("other"))
            other.Sign(new SignOrder([Csr("a")], [_dir["a.crt"]], CertificateProfile.Server, 30, [], false), Now);
        using var ca = Open("ca");

        var e = Assert.Throws<MtlsException>(() => ca.Renew(new RenewalOrder(_dir["a.crt"], _dir["a2.crt"], null, null, false), () => null, Now));

        Assert.Equal(ExitCode.Failed, e.ExitCode);
        Assert.Contains("was not issued by this CA (CN=ca,O=Kame)", e.Message);
        Assert.Contains(ca.Inventory.Path, e.Message);
        Assert.False(File.Exists(_dir["a2.crt"]));
        Assert.Empty(ca.Inventory.List());
    }
}
