using System.Diagnostics;

namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 6: several signers on one CA at once, and a signer killed at random moments. Runs the built
/// program (separate processes, as on a real CA host), not the in-process CLI.
/// </summary>
public class CaConcurrencyTests
{
    private static void Ok(CliResult r) => CaInventoryCliTests.Ok(r);

    private static List<string> Serials(TempDir d)
    {
        var list = Cli.Process(d.Path, "ca", "list", "--ca-cert", "ca.crt", "--json");
        Ok(list);
        using var json = System.Text.Json.JsonDocument.Parse(list.Stdout);
        return json.RootElement.EnumerateArray().Select(e => e.GetProperty("serial").GetString()!).ToList();
    }

    private static string SerialOf(TempDir d, string cert)
    {
        var r = Tool.Openssl("x509", "-in", d[cert], "-noout", "-serial");
        Assert.True(r.ExitCode == 0, $"{cert} is not a complete certificate: {r}");
        return r.Stdout.Trim()["serial=".Length..].TrimStart('0');
    }

    [Fact]
    public void Four_signers_at_once_get_distinct_serials_all_recorded()
    {
        using var d = new TempDir();
        var names = Enumerable.Range(0, 20).Select(i => $"c{i}").ToArray();
        CaInventoryCliTests.MakeCa(d, names);
        var results = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4).Select(p =>
        {
            Directory.CreateDirectory(d[$"out{p}"]);
            return Cli.Process(d.Path, ["ca", "sign", .. names.Skip(p * 5).Take(5).Select(n => n + ".csr"),
                "--ca-cert", "ca.crt", "--ca-key", "ca.key", "--profile", "client", "--out-dir", $"out{p}"]);
        }).ToList();
        foreach (var r in results) Ok(r);

        var issued = Enumerable.Range(0, 4).SelectMany(p => names.Skip(p * 5).Take(5).Select(n => SerialOf(d, $"out{p}/{n}.crt"))).ToList();
        Assert.Equal(20, issued.Distinct().Count());
        var recorded = Serials(d);
        Assert.Equal(issued.Order(), recorded.Select(s => s.TrimStart('0')).Order());
    }

    [Fact]
    public void A_signer_killed_at_random_moments_leaves_no_half_written_certificate()
    {
        using var d = new TempDir();
        var names = Enumerable.Range(0, 20).Select(i => $"k{i}").ToArray();
        CaInventoryCliTests.MakeCa(d, names);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        foreach (var name in names)
        {
            var info = new ProcessStartInfo("dotnet", [Cli.Dll, "ca", "sign", name + ".csr", "--ca-cert", "ca.crt", "--ca-key", "ca.key", "--profile", "server", "--out", name + ".crt"])
            {
                WorkingDirectory = d.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info)!;
            // Start-up takes ~150-300 ms under JIT; spread the kills over start-up, signing and writing.
            Thread.Sleep(random.Next(50, 700));
            try { process.Kill(); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }

        var recorded = Serials(d).Select(s => s.TrimStart('0')).ToHashSet();
        var written = 0;
        foreach (var name in names)
        {
            var path = d[name + ".crt"];
            if (!File.Exists(path)) continue;
            written++;
            var text = File.ReadAllText(path);
            Assert.True(text.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) && text.EndsWith("-----END CERTIFICATE-----\n", StringComparison.Ordinal),
                $"{name}.crt is half-written (seed {seed})");
            Assert.Contains(SerialOf(d, name + ".crt"), recorded); // recorded before written
        }
        // The inventory is intact and still takes new certificates.
        Ok(Cli.Process(d.Path, "ca", "sign", "k0.csr", "--ca-cert", "ca.crt", "--ca-key", "ca.key", "--profile", "server", "--out", "again.crt"));
        Assert.Equal(recorded.Count + 1, Serials(d).Count);
        var check = Tool.Run("sqlite3", [d["ca.db"], "PRAGMA integrity_check"]);
        if (check.ExitCode == 0) Assert.Equal("ok", check.Stdout.Trim());
        Assert.True(written <= recorded.Count, $"written {written}, recorded {recorded.Count} (seed {seed})");
    }
}
