namespace Mtls.Cli.Tests;

/// <summary>Issue 6's bad input: one clear line each, the documented exit code, nothing changed.</summary>
public class CaBadInputTests : IClassFixture<CaBadInputTests.Pki>
{
    public sealed class Pki : IDisposable
    {
        public TempDir Dir { get; } = new();
        public Pki()
        {
            var d = Dir;
            CaInventoryCliTests.MakeCa(d, "mine", "stranger");
            CaInventoryCliTests.Ok(CaInventoryCliTests.Sign(d, "mine", "client"));
            CaInventoryCliTests.Ok(Cli.Run("ca", "create", "--subject", "/CN=Other CA", "--curve", "P-256", "--out", d["other.crt"], "--key-out", d["other.key"]));
            CaInventoryCliTests.Ok(CaInventoryCliTests.Sign(d, "stranger", "client", ca: "other"));
            CaInventoryCliTests.Ok(Cli.Run("ca", "crl", "--ca-cert", d["other.crt"], "--ca-key", d["other.key"], "--out", d["other.crl"]));
            File.WriteAllText(d["junk.db"], "this is not a database, it is a text file pretending to be one\n" + new string('x', 4096));
        }
        public void Dispose() => Dir.Dispose();
    }

    private readonly TempDir _d;
    public CaBadInputTests(Pki pki) => _d = pki.Dir;

    public static TheoryData<string, int, string> Cases => new()
    {
        { "crl-of-another-ca", 1, "is the CRL of CN=Other CA, not of CN=Test CA,O=Kame" },
        { "corrupt-inventory-list", 2, "the CA inventory is corrupt or not an SQLite file" },
        { "corrupt-inventory-sign", 2, "the CA inventory is corrupt or not an SQLite file" },
        { "inventory-of-another-ca", 1, "is the inventory of another CA" },
        { "revoke-unknown-serial", 1, "serial 0123ABCD is not in the inventory" },
        { "revoke-foreign-cert", 1, "was issued by CN=Other CA, not by this CA" },
        { "renew-not-issued-here", 1, "was not issued by this CA (CN=Test CA,O=Kame)" },
        { "unknown-reason", 2, "--reason stolen: unknown reason" },
        { "bad-next-update", 2, "--next-update 0d: not a duration" },
        { "crl-is-a-cert", 2, "holds a certificate, not a CRL" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_input_gets_one_clear_line_and_changes_nothing(string name, int exitCode, string expected)
    {
        var output = _d[$"{name}.out"];
        string Snapshot() => Cli.Run("ca", "list", "--ca-cert", _d["ca.crt"], "--json").Stdout + Cli.Run("ca", "list", "--ca-cert", _d["other.crt"], "--json").Stdout;
        var before = Snapshot();
        var junk = File.ReadAllText(_d["junk.db"]);
        string[] ca = ["--ca-cert", _d["ca.crt"], "--ca-key", _d["ca.key"]];
        string[] args = name switch
        {
            "crl-of-another-ca" => ["crl", "show", _d["other.crl"], "--ca-cert", _d["ca.crt"]],
            "corrupt-inventory-list" => ["ca", "list", "--ca-cert", _d["ca.crt"], "--db", _d["junk.db"]],
            "corrupt-inventory-sign" => ["ca", "sign", _d["mine.csr"], .. ca, "--db", _d["junk.db"], "--profile", "client", "--out", output],
            "inventory-of-another-ca" => ["ca", "sign", _d["mine.csr"], .. ca, "--db", _d["other.db"], "--profile", "client", "--out", output],
            "revoke-unknown-serial" => ["ca", "revoke", "01:23:ab:cd", .. ca],
            "revoke-foreign-cert" => ["ca", "revoke", _d["stranger.crt"], .. ca],
            "renew-not-issued-here" => ["cert", "renew", _d["stranger.crt"], .. ca, "--out", output],
            "unknown-reason" => ["ca", "revoke", _d["mine.crt"], .. ca, "--reason", "stolen"],
            "bad-next-update" => ["ca", "crl", .. ca, "--next-update", "0d", "--out", output],
            "crl-is-a-cert" => ["crl", "show", _d["mine.crt"]],
            _ => throw new ArgumentException(name),
        };
        var r = Cli.Run(args);
        Assert.True(r.ExitCode == exitCode, r.ToString());
        Assert.StartsWith("mtls: error: ", r.Stderr);
        Assert.Contains(expected, r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(output), "no output file may be written");
        Assert.Equal(before, Snapshot());
        Assert.Equal(junk, File.ReadAllText(_d["junk.db"]));
    }
}
