using System.Net;
using System.Net.Sockets;

namespace Mtls.Cli.Tests;

/// <summary>Issue 6: `mtls cert p12`, read by openssl and used by curl against openssl s_server.</summary>
public class P12Tests
{
    private static void Ok(CliResult r) => CaInventoryCliTests.Ok(r);
    private static void Ok(ToolResult r) => CaInventoryCliTests.Ok(r);

    [Fact]
    public void Openssl_reads_it_and_curl_authenticates_with_it()
    {
        using var d = new TempDir();
        WorkshopPkiTests.MakeWorkshopPki(d);
        File.WriteAllText(d["p12.pass"], "p12 secret\n");
        var r = Cli.Run("cert", "p12", "--cert", d["client.crt"], "--key", d["client.key"], "--chain", d["client-ca.crt"], "--out", d["client.p12"], "--password-file", d["p12.pass"]);
        Ok(r);
        Assert.Contains("valid until:", r.Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(d["client.p12"]));
        Ok(Tool.Openssl("pkcs12", "-in", d["client.p12"], "-passin", "file:" + d["p12.pass"], "-noout"));
        var info = Tool.Openssl("pkcs12", "-in", d["client.p12"], "-passin", "file:" + d["p12.pass"], "-info", "-noout");
        Assert.Contains("AES-256-CBC", info.Stdout + info.Stderr);
        Assert.Contains("hmacWithSHA256", info.Stdout + info.Stderr);
        Assert.NotEqual(0, Tool.Openssl("pkcs12", "-in", d["client.p12"], "-passin", "pass:wrong", "-noout").ExitCode);

        var port = FreePort();
        using var server = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl",
            ["s_server", "-accept", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-cert", d["server.crt"], "-key", d["server.key"],
             "-Verify", "1", "-verify_return_error", "-CAfile", d["client-ca.crt"], "-www", "-quiet"])
        { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!;
        try
        {
            WaitForPort(port);
            var url = $"https://localhost:{port}/";
            var ok = Tool.Run("curl", ["-sS", "--cacert", d["server-ca.crt"], "--cert-type", "P12", "--cert", d["client.p12"] + ":p12 secret", url]);
            Ok(ok);
            Assert.Contains("Super Client", ok.Stdout); // s_server -www prints the client's certificate
            var without = Tool.Run("curl", ["-sS", "--cacert", d["server-ca.crt"], url]);
            Assert.NotEqual(0, without.ExitCode);
        }
        finally
        {
            server.Kill();
        }
    }

    [Fact]
    public void A_password_is_required()
    {
        using var d = new TempDir();
        WorkshopPkiTests.MakeWorkshopPki(d);
        var r = Cli.Run("cert", "p12", "--cert", d["client.crt"], "--key", d["client.key"], "--out", d["client.p12"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("mtls: error: a PKCS#12 needs a password", r.Stderr);
        Assert.False(File.Exists(d["client.p12"]));
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static void WaitForPort(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"nothing listens on port {port}");
    }
}
