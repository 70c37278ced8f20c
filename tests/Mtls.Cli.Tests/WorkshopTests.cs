using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Mtls.Cli.Tests;

/// <summary>Issue 4's acceptance: the whole workshop in one command, judged by openssl.</summary>
public class WorkshopTests
{
    private static void AssertPortClosed(int port)
    {
        using var client = new TcpClient();
        Assert.ThrowsAny<SocketException>(() => client.Connect("127.0.0.1", port));
    }

    private static IEnumerable<int> Ports(string output) =>
        Regex.Matches(output, @"https://localhost:(\d+)/").Select(m => int.Parse(m.Groups[1].Value)).Distinct();

    [Fact]
    public void Runs_every_step_and_openssl_agrees_with_the_result()
    {
        using var d = new TempDir();
        var dir = d["ws"];
        var r = Cli.Run("workshop", "--dir", dir, "--lang", "en");
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var file in new[] { "server-ca/server-ca.crt", "server-ca/server-ca.key", "server/server.key", "server/server.csr", "server/server.crt",
                     "client-ca/client-ca.crt", "client-ca/client-ca.key", "client/client.key", "client/client.csr", "client/client.crt" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        var server = Tool.Openssl("verify", "-CAfile", Path.Combine(dir, "server-ca/server-ca.crt"), "-purpose", "sslserver", Path.Combine(dir, "server/server.crt"));
        Assert.True(server.ExitCode == 0, server.ToString());
        var client = Tool.Openssl("verify", "-CAfile", Path.Combine(dir, "client-ca/client-ca.crt"), "-purpose", "sslclient", Path.Combine(dir, "client/client.crt"));
        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Contains("Super Client", r.Stdout);
        Assert.Contains("All", r.Stdout);
        Assert.DoesNotContain("UNEXPECTED", r.Stdout);
        Assert.Contains("openssl req -x509 -newkey ec:<(openssl ecparam -name secp384r1)", r.Stdout);
        Assert.Contains("curl --cert client.crt --key client.key", r.Stdout);
        // The server log line names the client, as the seed asks the reader to check.
        Assert.Matches(@"server log:.*CN=Super Client", r.Stdout);
        // Part 4: enrolled online, renewed by the daemon while the server ran, revoked and refused after a CRL reload.
        Assert.Contains("Part 4: the CA online", r.Stdout);
        var renewed = Regex.Match(r.Stdout, @"renewed: .*worker\.crt \(serial ([0-9A-F]+),");
        Assert.True(renewed.Success, r.Stdout);
        var workerSerial = Tool.Openssl("x509", "-in", Path.Combine(dir, "worker/worker.crt"), "-noout", "-serial").Stdout.Trim()["serial=".Length..];
        Assert.Equal(renewed.Groups[1].Value.TrimStart('0'), workerSerial.TrimStart('0'));
        var worker = Tool.Openssl("verify", "-CAfile", Path.Combine(dir, "client-ca/client-ca.crt"), "-purpose", "sslclient", Path.Combine(dir, "worker/worker.crt"));
        Assert.True(worker.ExitCode == 0, worker.ToString());
        var crl = Tool.Openssl("verify", "-crl_check", "-CRLfile", Path.Combine(dir, "client-ca/client-ca.crl"), "-CAfile", Path.Combine(dir, "client-ca/client-ca.crt"),
            Path.Combine(dir, "worker/worker.crt"));
        Assert.Contains("certificate revoked", crl.Stdout + crl.Stderr); // the CRL the server reloaded lists it
        Assert.Matches(@"revoked; the server reloaded the new CRL \d+ ms later", r.Stdout);
        Assert.Matches(@"\[26\] Access with the revoked certificate", r.Stdout);
        foreach (var port in Ports(r.Stdout)) AssertPortClosed(port);
    }

    [Fact]
    public void Speaks_japanese()
    {
        using var d = new TempDir();
        var r = Cli.Run("workshop", "--dir", d["ws"], "--lang", "ja");
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var term in new[] { "認証局", "サーバー証明書", "クライアント証明書", "秘密鍵", "CSR", "サーバー管理者", "想定どおり", "第4部", "更新デーモン", "更新しました: ", "新しい CRL を読み込みました" })
            Assert.Contains(term, r.Stdout);
    }

    [Fact]
    public void Reruns_reuse_files_unless_fresh()
    {
        using var d = new TempDir();
        var dir = d["ws"];
        Assert.Equal(0, Cli.Run("workshop", "--dir", dir, "--lang", "en").ExitCode);
        var ca = File.ReadAllText(Path.Combine(dir, "server-ca/server-ca.crt"));
        var cert = File.ReadAllText(Path.Combine(dir, "client/client.crt"));

        var again = Cli.Run("workshop", "--dir", dir, "--lang", "en");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("reused", again.Stdout);
        Assert.Equal(ca, File.ReadAllText(Path.Combine(dir, "server-ca/server-ca.crt")));
        Assert.Equal(cert, File.ReadAllText(Path.Combine(dir, "client/client.crt")));

        var fresh = Cli.Run("workshop", "--dir", dir, "--lang", "en", "--fresh");
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.DoesNotContain("reused", fresh.Stdout);
        Assert.NotEqual(ca, File.ReadAllText(Path.Combine(dir, "server-ca/server-ca.crt")));
    }

    [Fact]
    public void Json_gives_the_results_table()
    {
        using var d = new TempDir();
        var r = Cli.Run("workshop", "--dir", d["ws"], "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.True(rows.Count >= 26); // 26 steps, and curl's rows beside mtls's when curl is installed
        Assert.All(rows, row => Assert.True(row.GetProperty("passed").GetBoolean()));
    }

    [Fact]
    public void The_built_program_leaves_no_process_behind()
    {
        using var d = new TempDir();
        var r = Cli.Process(d.Path, "workshop", "--dir", "ws", "--lang", "en");
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var port in Ports(r.Stdout)) AssertPortClosed(port);
    }

    [Fact]
    public void Busy_ports_fall_back_to_free_ports_and_say_so()
    {
        using var d = new TempDir();
        var held = new List<TcpListener>();
        foreach (var port in new[] { 8443, 9443 })
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try { listener.Start(); held.Add(listener); } catch (SocketException) { } // already busy: just as good
        }
        try
        {
            var r = Cli.Run("workshop", "--dir", d["ws"], "--lang", "en");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("port 8443 is busy; using free port", r.Stdout);
            Assert.Contains("port 9443 is busy; using free port", r.Stdout);
        }
        finally
        {
            foreach (var listener in held) listener.Stop();
        }
    }

    [Fact]
    public async Task Keep_running_serves_the_printed_curl_commands_until_ctrl_c()
    {
        using var d = new TempDir();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = d.Path };
        foreach (var a in new[] { Cli.Dll, "workshop", "--dir", "ws", "--lang", "en", "--keep-running" }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? mtlsCurl = null;
            while (mtlsCurl is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line.Trim().StartsWith("curl --cert client.crt")) mtlsCurl = line.Trim();
            Assert.NotNull(mtlsCurl);
            var url = Regex.Match(mtlsCurl, @"https://localhost:\d+").Value;

            var curl = Tool.Run("curl", ["-sS", "--cert", "client.crt", "--key", "client.key", "--cacert", "../server/server.crt", url], d["ws/client"]);
            Assert.StartsWith("Hello, CN=Super Client", curl.Stdout);
            string? logged = null;
            var before = new List<string>();
            while (logged is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line.Contains("server log:")) logged = line; else before.Add(line.Trim());
            Assert.Contains("CN=Super Client", logged);
            // How to try it in a browser: trust the server CA, the URLs, the client identity for the mTLS server.
            Assert.Contains($"mtls trust install {d["ws/server-ca/server-ca.crt"]}", before);
            Assert.Contains(before, l => l.Contains($"{url}/", StringComparison.Ordinal) && !l.StartsWith("curl", StringComparison.Ordinal));
            Assert.Contains("mtls cert p12 --cert client.crt --key client.key --out client.p12 --password-file p12.pass", before);
            Assert.Contains("mtls trust install --cert client.crt --key client.key", before);

            Tool.Run("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            var rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}\n{string.Join("\n", before)}\n{rest}");
            Assert.Contains("Servers stopped.", rest);
            AssertPortClosed(new Uri(url).Port);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
