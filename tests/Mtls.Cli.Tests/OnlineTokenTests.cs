using System.Text.Json;

namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 15's loose ends with the built `mtls`: a client token for a plain CN (`ca token --cn`) enrolls
/// CN=Super Client, whose certificate a real `mtls serve --client-ca` accepts from curl; `ca token --count`;
/// `ca serve --renew-after`; what /roots.pem serves, and the warning when it would be empty.
/// </summary>
public class OnlineTokenTests
{
    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

    /// <summary>A root and an issuing CA under it, made a day ago (so certificates can be backdated within them).</summary>
    private static void MakeCas(TempDir d)
    {
        var past = DateTimeOffset.UtcNow.AddDays(-1);
        Ok(Cli.RunAt(past, "ca", "create", "--subject", "/CN=Token Root", "--curve", "P-256", "--out", d["root.crt"], "--key-out", d["root.key"]));
        Ok(Cli.RunAt(past, "ca", "create", "--subject", "/CN=Token Client CA", "--curve", "P-256", "--parent-cert", d["root.crt"], "--parent-key", d["root.key"],
            "--path-len", "0", "--out", d["issuing.crt"], "--key-out", d["issuing.key"]));
    }

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');

    [Fact]
    public async Task Super_client_enrolls_with_a_cn_token_is_served_by_mtls_serve_and_renews_keeping_its_subject()
    {
        using var d = new TempDir();
        MakeCas(d);
        // --renew-after 0: the storm rule off, so the renewal below may come at once.
        using var ca = await CaServeProcess.StartAsync(d.Path, "--ca-cert", "issuing.crt", "--ca-key", "issuing.key", "--root", "root.crt", "--renew-after", "0");

        var client = Cli.Run("ca", "token", "--ca-cert", d["issuing.crt"], "--profile", "client", "--cn", "Super Client");
        Ok(client);
        Assert.Contains("token for CN=Super Client (profile client)", client.Stderr);
        File.WriteAllText(d["client.token"], Lines(client.Stdout)[^1] + "\n");
        var enrolled = Cli.Process(d.Path, "enroll", "--ca-url", ca.Url, "--root", "root.crt", "--token-file", "client.token", "--key", "client.key", "--out", "client.crt");
        Ok(enrolled);
        Assert.StartsWith("Enrolled CN=Super Client: certificate client.crt", enrolled.Stdout);
        Assert.Equal("subject=CN = Super Client", Tool.Openssl("x509", "-in", d["client.crt"], "-noout", "-subject").Stdout.Trim());
        var verify = Tool.Openssl("verify", "-CAfile", d["root.crt"], "-untrusted", d["client.crt"], "-purpose", "sslclient", d["client.crt"]);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        // Two server tokens from one run: both enroll (distinct, each valid once).
        var servers = Cli.Run("ca", "token", "--ca-cert", d["issuing.crt"], "--san", "localhost", "--san", "IP:127.0.0.1", "--count", "2");
        Ok(servers);
        var serverTokens = Lines(servers.Stdout);
        Assert.Equal(2, serverTokens.Distinct().Count());
        for (var i = 0; i < 2; i++)
        {
            File.WriteAllText(d[$"server{i}.token"], serverTokens[i] + "\n");
            Ok(Cli.Process(d.Path, "enroll", "--ca-url", ca.Url, "--root", "root.crt", "--token-file", $"server{i}.token", "--key", $"server{i}.key", "--out", $"server{i}.crt"));
        }

        // The root as the only client CA: the issuing CA comes from the chain enroll wrote after the leaf.
        using (var serve = await ServeProcess.StartAsync(d.Path, "--cert", "server0.crt", "--key", "server0.key", "--client-ca", "root.crt", "--port", "0", "--bind", "127.0.0.1"))
        {
            var curl = Tool.Run("curl", ["-sS", "-o", d["hello.txt"], "-w", "%{http_code}", "--cacert", d["root.crt"], "--cert", d["client.crt"], "--key", d["client.key"], serve.Url]);
            Assert.True(curl.Stdout == "200", curl.ToString());
            Assert.StartsWith("Hello, CN=Super Client!", File.ReadAllText(d["hello.txt"]));
            var logged = await serve.WaitForLineAsync("GET / 200");
            Assert.Contains("client CN=Super Client (issuer CN=Token Client CA", logged);

            // Renewed at once (--renew-now, allowed by --renew-after 0): same subject, new serial, still served.
            var serial = Tool.Openssl("x509", "-in", d["client.crt"], "-noout", "-serial").Stdout.Trim();
            var renewed = Cli.Process(d.Path, "cert", "renew", "client.crt", "--key", "client.key", "--ca-url", ca.Url, "--root", "root.crt", "--renew-now");
            Ok(renewed);
            Assert.Equal("subject=CN = Super Client", Tool.Openssl("x509", "-in", d["client.crt"], "-noout", "-subject").Stdout.Trim());
            Assert.NotEqual(serial, Tool.Openssl("x509", "-in", d["client.crt"], "-noout", "-serial").Stdout.Trim());
            var again = Tool.Run("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", d["root.crt"], "--cert", d["client.crt"], "--key", d["client.key"], serve.Url]);
            Assert.True(again.Stdout == "200", again.ToString());
        }

        var (code, stdout, stderr) = await ca.TerminateAsync();
        Assert.Equal(0, code);
        Assert.Contains("issued CN=Super Client", stdout);
        Assert.Contains("renewed CN=Super Client", stdout);
        Assert.DoesNotContain("/roots.pem is empty", stderr); // --root given
    }

    [Fact]
    public void Count_makes_that_many_tokens_in_one_run_one_per_line_or_a_json_array()
    {
        using var d = new TempDir();
        MakeCas(d);
        var text = Cli.Run("ca", "token", "--ca-cert", d["issuing.crt"], "--san", "worker.internal", "--profile", "client", "--count", "25");
        Ok(text);
        var tokens = Lines(text.Stdout);
        Assert.Equal(25, tokens.Length);
        Assert.Equal(25, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.Equal(43, t.Length));
        Assert.StartsWith("25 tokens for DNS:worker.internal (profile client)", text.Stderr);

        var json = Cli.Run("ca", "token", "--ca-cert", d["issuing.crt"], "--cn", "Super Client", "--profile", "client", "--count", "3", "--ttl", "1h", "--json");
        Ok(json);
        Assert.Single(Lines(json.Stdout));
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        Assert.Equal(3, doc.RootElement.GetArrayLength());
        foreach (var token in doc.RootElement.EnumerateArray())
        {
            Assert.Equal(43, token.GetProperty("token").GetString()!.Length);
            Assert.Equal("Super Client", token.GetProperty("cn").GetString());
            Assert.Equal(0, token.GetProperty("names").GetArrayLength());
            Assert.Equal("client", token.GetProperty("profile").GetString());
            Assert.InRange(DateTimeOffset.Parse(token.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow,
                TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        }

        // Without --count, --json stays one object (scripts written before --count); its cn is null for a names-only token.
        var single = Cli.Run("ca", "token", "--ca-cert", d["issuing.crt"], "--san", "localhost", "--json");
        Ok(single);
        using var one = JsonDocument.Parse(single.Stdout);
        Assert.Equal(JsonValueKind.Object, one.RootElement.ValueKind);
        Assert.Equal(JsonValueKind.Null, one.RootElement.GetProperty("cn").ValueKind);

        // Every token is in the inventory: 25 + 3 + 1, read by sqlite's own library through ca list's store.
        using var store = Mtls.Pki.Inventory.CaInventory.Open(d["issuing.db"], System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(d["issuing.crt"]));
        Assert.All(tokens, t => Assert.Equal("DNS:worker.internal", Assert.Single(store.FindToken(Mtls.Ca.EnrollmentToken.Hash(t))!.Names)));
        foreach (var token in doc.RootElement.EnumerateArray())
            Assert.Equal("Super Client", store.FindToken(Mtls.Ca.EnrollmentToken.Hash(token.GetProperty("token").GetString()!))!.CommonName);
    }

    [Theory]
    [InlineData("a token must bind what it allows", "--profile", "client")]
    [InlineData("a token must bind what it allows")]
    [InlineData("a server token needs at least one --san", "--cn", "Orders API")]
    [InlineData("--count 0: give a number of tokens from 1 to 1000", "--san", "x", "--count", "0")]
    [InlineData("--count 1001: give a number of tokens from 1 to 1000", "--san", "x", "--count", "1001")]
    [InlineData("--cn is empty", "--profile", "client", "--cn", " ")]
    [InlineData("--cn is 65 characters long; a CN may have at most 64", "--profile", "client", "--cn", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("--cn Super\\0AClient: contains a control or invisible character", "--profile", "client", "--cn", "Super\nClient")]
    public void Ca_token_refuses_what_cannot_make_a_certificate_in_one_line(string said, params string[] args)
    {
        using var d = new TempDir();
        MakeCas(d);
        var result = Cli.Run(["ca", "token", "--ca-cert", d["issuing.crt"], .. args]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Single(Lines(result.Stderr));
        Assert.StartsWith("mtls: error: " + said, result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(d["issuing.db"])); // refused before the inventory is touched
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("100%")]
    [InlineData("-0.1")]
    [InlineData("third")]
    [InlineData("1/0")]
    [InlineData("NaN")]
    public void Renew_after_outside_zero_to_one_is_refused_in_one_line(string value)
    {
        var result = Cli.Run("ca", "serve", "--ca-cert", "no-such.crt", "--ca-key", "no-such.key", "--renew-after", value);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"mtls: error: --renew-after {value}: give a fraction from 0 up to, not including, 1 (e.g. 0.5 or 50%; 0 turns the renewal-storm rule off)\n", result.Stderr);
    }

    [Fact]
    public void The_new_refusals_are_said_in_japanese_too()
    {
        var ja = new Dictionary<string, string?> { ["LANG"] = "ja_JP.UTF-8" };
        var fraction = Cli.RunIn(ja, "ca", "serve", "--ca-cert", "no-such.crt", "--ca-key", "no-such.key", "--renew-after", "2");
        Assert.Equal(2, fraction.ExitCode);
        Assert.Equal("mtls: エラー: --renew-after 2: 0 以上 1 未満の割合を指定してください (例: 0.5 または 50%。0 で更新ストーム対策を無効にします)\n", fraction.Stderr);
        var token = Cli.RunIn(ja, "ca", "token", "--ca-cert", "no-such.crt", "--cn", "Orders API");
        Assert.Equal(2, token.ExitCode);
        Assert.StartsWith("mtls: エラー: サーバー用のトークンには --san が少なくとも 1 つ必要です", token.Stderr, StringComparison.Ordinal);
    }

    /// <summary>/roots.pem as served by `ca serve`, and its stderr once stopped.</summary>
    private static async Task<(string Roots, string Stderr)> RootsPemAsync(TempDir d, params string[] args)
    {
        using var ca = await CaServeProcess.StartAsync(d.Path, args);
        var roots = Tool.Run("curl", ["-sS", "--cacert", d["root.crt"], ca.Url + "roots.pem"]);
        Assert.True(roots.ExitCode == 0, roots.ToString());
        var (_, _, stderr) = await ca.TerminateAsync();
        return (roots.Stdout, stderr);
    }

    private static string Subjects(string pem, TempDir d)
    {
        File.WriteAllText(d["served.pem"], pem);
        var r = Tool.Run("bash", ["-c", "openssl crl2pkcs7 -nocrl -certfile served.pem | openssl pkcs7 -print_certs -noout | grep subject="], d.Path);
        return r.Stdout.Trim();
    }

    [Fact]
    public async Task Roots_pem_serves_the_root_the_ca_is_or_ends_in_or_is_given_and_warns_when_empty()
    {
        using var d = new TempDir();
        MakeCas(d);
        File.WriteAllText(d["issuing-chain.crt"], File.ReadAllText(d["issuing.crt"]) + File.ReadAllText(d["root.crt"]));

        // A root CA serves itself.
        var (asRoot, rootErr) = await RootsPemAsync(d, "--ca-cert", "root.crt", "--ca-key", "root.key", "--db", d["root-served.db"]);
        Assert.Equal("subject=CN = Token Root", Subjects(asRoot, d));
        Assert.DoesNotContain("/roots.pem", rootErr);

        // An issuing CA whose file ends in its root serves that root.
        var (fromChain, chainErr) = await RootsPemAsync(d, "--ca-cert", "issuing-chain.crt", "--ca-key", "issuing.key", "--db", d["chain.db"]);
        Assert.Equal("subject=CN = Token Root", Subjects(fromChain, d));
        Assert.DoesNotContain("/roots.pem", chainErr);

        // The same root given again with --root: served once.
        var (both, _) = await RootsPemAsync(d, "--ca-cert", "issuing-chain.crt", "--ca-key", "issuing.key", "--db", d["chain.db"], "--root", "root.crt");
        Assert.Equal("subject=CN = Token Root", Subjects(both, d));

        // An issuing CA alone, without --root: empty, and one warning line that says how to fill it.
        var (empty, warned) = await RootsPemAsync(d, "--ca-cert", "issuing.crt", "--ca-key", "issuing.key");
        Assert.Equal("", empty);
        Assert.Single(warned.Split('\n'), l => l.Contains("/roots.pem", StringComparison.Ordinal));
        Assert.Contains("warning: /roots.pem is empty: CN=Token Client CA is not a root and its file does not end in one, so clients cannot fetch a root to pin; give it with --root FILE", warned);
    }
}
