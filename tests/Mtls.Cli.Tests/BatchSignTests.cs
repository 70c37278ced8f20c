namespace Mtls.Cli.Tests;

/// <summary>Issue 6: `mtls ca sign a.csr b.csr ... --out-dir DIR`, all or nothing.</summary>
public class BatchSignTests
{
    [Fact]
    public void A_batch_is_signed_on_every_core_recorded_and_verified_by_openssl()
    {
        using var d = new TempDir();
        var names = Enumerable.Range(0, 24).Select(i => $"b{i}").ToArray();
        CaInventoryCliTests.MakeCa(d, names);
        Directory.CreateDirectory(d["out"]);
        File.WriteAllText(d["broken.csr"], "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n");
        string[] ca = ["--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--profile", "client", "--out-dir", d["out"]];

        var bad = Cli.Run(["ca", "sign", .. names.Take(12).Select(n => d[n + ".csr"]), d["broken.csr"], .. names.Skip(12).Select(n => d[n + ".csr"]), .. ca]);
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith($"mtls: error: {d["broken.csr"]}:", bad.Stderr);
        Assert.Empty(Directory.GetFiles(d["out"]));
        Assert.Contains("No certificates recorded", Cli.Run("ca", "list", "--ca-cert", d["ca.crt"]).Stdout);

        var ok = Cli.Run(["ca", "sign", .. names.Select(n => d[n + ".csr"]), .. ca]);
        CaInventoryCliTests.Ok(ok);
        Assert.Contains($"Signed 24 client certificates", ok.Stdout);
        var serials = names.Select(n =>
        {
            CaInventoryCliTests.Ok(Tool.Openssl("verify", "-CAfile", d["ca.crt"], "-purpose", "sslclient", d[$"out/{n}.crt"]));
            Assert.Contains($"CN = {n}\n", Tool.Openssl("x509", "-in", d[$"out/{n}.crt"], "-noout", "-subject").Stdout); // each CSR to its own file
            return Tool.Openssl("x509", "-in", d[$"out/{n}.crt"], "-noout", "-serial").Stdout;
        }).ToList();
        Assert.Equal(24, serials.Distinct().Count());
        Assert.Equal(24, Cli.Run("ca", "list", "--ca-cert", d["ca.crt"]).Stdout.Split('\n').Count(l => l.Contains("CN=b", StringComparison.Ordinal)));

        var twoOuts = Cli.Run("ca", "sign", d["b0.csr"], d["b1.csr"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--profile", "client", "--out", d["x.crt"]);
        Assert.Equal(2, twoOuts.ExitCode);
        Assert.Contains("give --out-dir DIR", twoOuts.Stderr);
    }
}
