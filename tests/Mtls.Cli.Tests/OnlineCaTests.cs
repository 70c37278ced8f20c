using System.Text.Json;

namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 15 end to end with the built `mtls`: an issuing CA under a root served by `mtls ca serve`, a
/// token from `mtls ca token`, `mtls enroll` and `mtls cert renew --ca-url`, the results read by openssl,
/// a refusal read by curl as application/problem+json, and SIGTERM.
/// </summary>
public class OnlineCaTests
{
    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

    /// <summary>A root and an issuing CA under it, made a day ago (so certificates can be backdated within them).</summary>
    private static void MakeCas(TempDir d)
    {
        var past = DateTimeOffset.UtcNow.AddDays(-1);
        Ok(Cli.RunAt(past, "ca", "create", "--subject", "/CN=Online Root", "--curve", "P-256", "--out", d["root.crt"], "--key-out", d["root.key"]));
        Ok(Cli.RunAt(past, "ca", "create", "--subject", "/CN=Online Issuing", "--curve", "P-256", "--parent-cert", d["root.crt"], "--parent-key", d["root.key"],
            "--path-len", "0", "--out", d["issuing.crt"], "--key-out", d["issuing.key"]));
    }

    private static string Token(TempDir d, string file, params string[] args)
    {
        var r = Cli.Run(["ca", "token", "--ca-cert", d["issuing.crt"], .. args]);
        Ok(r);
        var token = r.Stdout.TrimEnd('\n').Split('\n')[^1];
        Assert.Equal(43, token.Length); // 256 bits, base64url
        File.WriteAllText(d[file], token + "\n");
        return token;
    }

    [Fact]
    public async Task Enroll_renew_and_refusals_with_the_real_binary()
    {
        using var d = new TempDir();
        MakeCas(d);
        using var ca = await CaServeProcess.StartAsync(d.Path, "--ca-cert", "issuing.crt", "--ca-key", "issuing.key", "--root", "root.crt", "--default-lifetime", "1h");
        var token = Token(d, "token.txt", "--san", "localhost", "--san", "IP:127.0.0.1");

        var enrolled = Cli.Process(d.Path, "enroll", "--ca-url", ca.Url, "--root", "root.crt", "--token-file", "token.txt", "--key", "svc.key", "--out", "svc.crt");
        Ok(enrolled);
        Assert.Contains("Enrolled CN=localhost: certificate svc.crt, key svc.key", enrolled.Stdout);
        Assert.Equal("-rw-------", Tool.Run("stat", ["-c", "%A", d["svc.key"]]).Stdout.Trim());
        var verify = Tool.Openssl("verify", "-CAfile", d["root.crt"], "-untrusted", d["svc.crt"], "-purpose", "sslserver", d["svc.crt"]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("DNS:localhost, IP Address:127.0.0.1", Tool.Openssl("x509", "-in", d["svc.crt"], "-noout", "-ext", "subjectAltName").Stdout);

        // One shot, not due yet: exit 0, a line that says when, the file unchanged.
        var before = File.ReadAllText(d["svc.crt"]);
        var notDue = Cli.Process(d.Path, "cert", "renew", "svc.crt", "--key", "svc.key", "--ca-url", ca.Url, "--root", "root.crt");
        Ok(notDue);
        Assert.StartsWith("not due yet: svc.crt is due for renewal from ", notDue.Stdout);
        Assert.Equal(before, File.ReadAllText(d["svc.crt"]));
        // Asked anyway: the CA's storm rule refuses it (exit 1, its type and reason on the error line).
        var early = Cli.Process(d.Path, "cert", "renew", "svc.crt", "--key", "svc.key", "--ca-url", ca.Url, "--root", "root.crt", "--renew-now");
        Assert.Equal(1, early.ExitCode);
        Assert.StartsWith("mtls: error: the CA refused: renewing-too-often: ", early.Stderr);

        // A certificate ten hours into its day is due: renewed in place over mTLS, with a new key.
        Ok(Cli.Run("key", "create", "--out", d["old.key"]));
        Ok(Cli.Run("csr", "create", "--key", d["old.key"], "--subject", "/CN=worker", "--san", "DNS:worker", "--out", d["old.csr"]));
        Ok(Cli.RunAt(DateTimeOffset.UtcNow.AddHours(-10), "ca", "sign", d["old.csr"], "--ca-cert", d["issuing.crt"], "--ca-key", d["issuing.key"],
            "--profile", "client", "--days", "1", "--out", d["old.crt"]));
        var oldSerial = Tool.Openssl("x509", "-in", d["old.crt"], "-noout", "-serial").Stdout.Trim()["serial=".Length..];
        var renewed = Cli.Process(d.Path, "cert", "renew", "old.crt", "--key", "old.key", "--ca-url", ca.Url, "--fingerprint",
            Tool.Openssl("x509", "-in", d["root.crt"], "-noout", "-fingerprint", "-sha256").Stdout.Trim().Split('=')[1], "--rekey", "--json");
        Ok(renewed);
        using (var json = JsonDocument.Parse(renewed.Stdout))
            Assert.Equal("renewed", json.RootElement.GetProperty("outcome").GetString());
        var newSerial = Tool.Openssl("x509", "-in", d["old.crt"], "-noout", "-serial").Stdout.Trim()["serial=".Length..];
        Assert.NotEqual(oldSerial, newSerial);
        var clientVerify = Tool.Openssl("verify", "-CAfile", d["root.crt"], "-untrusted", d["old.crt"], "-purpose", "sslclient", d["old.crt"]);
        Assert.True(clientVerify.ExitCode == 0, clientVerify.ToString());
        Assert.Equal(Tool.Openssl("pkey", "-in", d["old.key"], "-pubout").Stdout, Tool.Openssl("x509", "-in", d["old.crt"], "-noout", "-pubkey").Stdout); // the new key, written first
        var list = Cli.Run("ca", "list", "--ca-cert", d["issuing.crt"]);
        Assert.Contains($"renewed as {newSerial}", list.Stdout);

        // A replayed token, read by curl: 403, application/problem+json, the stable type.
        File.WriteAllText(d["replay.json"], JsonSerializer.Serialize(new Dictionary<string, string> { ["token"] = token, ["csr"] = File.ReadAllText(d["old.csr"]) }));
        var curl = Tool.Run("curl", ["-s", "--cacert", d["root.crt"], "-o", d["problem.json"], "-w", "%{http_code} %{content_type}", "-H", "Content-Type: application/json",
            "--data-binary", "@" + d["replay.json"], ca.Url + "v1/enroll"]);
        Assert.Equal("403 application/problem+json", curl.Stdout);
        using (var problem = JsonDocument.Parse(File.ReadAllText(d["problem.json"])))
        {
            Assert.Equal("urn:mtls:error:token-used", problem.RootElement.GetProperty("type").GetString());
            Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("Enrollment token already used", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("already used", problem.RootElement.GetProperty("detail").GetString());
        }
        var health = Tool.Run("curl", ["-s", "--cacert", d["root.crt"], ca.Url + "health"]);
        Assert.Contains("\"status\":\"ok\",\"ca\":\"CN=Online Issuing\"", health.Stdout);

        var (code, stdout, stderr) = await ca.TerminateAsync();
        Assert.Equal(0, code);
        Assert.Contains("online CA stopped", stderr);
        Assert.Contains("issued CN=localhost", stdout);
        Assert.Contains($"renewed CN=worker (serial {oldSerial} -> {newSerial}", stdout);
        Assert.Contains("refused POST /v1/enroll from 127.0.0.1: token-used", stdout);
    }

    [Fact]
    public void Enroll_says_what_is_missing_before_touching_the_network()
    {
        using var d = new TempDir();
        File.WriteAllText(d["t"], "x\n");
        var both = Cli.Run("enroll", "--ca-url", "https://localhost:1/", "--token-file", d["t"], "--key", d["k"], "--out", d["c"]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("give exactly one of --root", both.Stderr);
        var http = Cli.Run("enroll", "--ca-url", "http://localhost:1/", "--fingerprint", new string('A', 64), "--token-file", d["t"], "--key", d["k"], "--out", d["c"]);
        Assert.Contains("not an https:// URL", http.Stderr);
        var down = Cli.Run("enroll", "--ca-url", "https://127.0.0.1:1/", "--fingerprint", new string('A', 64), "--token-file", d["t"], "--key", d["k"], "--out", d["c"]);
        Assert.Equal(1, down.ExitCode);
        Assert.StartsWith("mtls: error: could not get an answer from the CA: ", down.Stderr);
        Assert.False(File.Exists(d["k"])); // nothing written
        var renew = Cli.Run("cert", "renew", d["c"]);
        Assert.Equal(2, renew.ExitCode);
        Assert.Contains("renewal needs either --ca-cert, --ca-key and --out", renew.Stderr);
    }
}
