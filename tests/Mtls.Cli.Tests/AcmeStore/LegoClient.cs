using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>
/// Debian's lego (unmodified) against `mtls ca serve --acme` at <see cref="Server"/>, answering http-01 on
/// <see cref="HttpPort"/> for <see cref="Name"/>, its account and certificates in one folder across runs
/// (as on a real machine: `lego run` once, `lego renew` from cron), trusting only the CA's root.
/// </summary>
public sealed partial class LegoClient(string folder, string root, Uri server)
{
    public const string Name = "acme-test.localhost";

    public int HttpPort { get; } = FreePort();

    public Uri Server { get; } = server;

    /// <summary>The options `mtls ca serve` needs to check this client's http-01 answers on loopback.</summary>
    public string[] ServeOptions => ["--acme", "--acme-http-port", HttpPort.ToString(CultureInfo.InvariantCulture), "--acme-resolve", Name + "=127.0.0.1"];

    public string Leaf => Path.Combine(folder, "lego", "certificates", Name + ".crt");

    public string Issuer => Path.Combine(folder, "lego", "certificates", Name + ".issuer.crt");

    public static void Require() => Assert.True(Tool.Exists("lego"), "lego is not installed: apt-get install lego (the Acme tests need the real client)");

    public ToolResult Run(params string[] command) =>
        Tool.Run("lego", ["--server", Server + "acme/directory", "--accept-tos", "--email", "ops@example.test",
            "--http", "--http.port", ":" + HttpPort.ToString(CultureInfo.InvariantCulture), "--path", Path.Combine(folder, "lego"), "-d", Name, .. command],
            environment: new Dictionary<string, string> { ["LEGO_CA_CERTIFICATES"] = root }, timeout: TimeSpan.FromSeconds(90));

    /// <summary>The serial of the certificate lego holds now (upper-case hex, as the inventory keeps it), after openssl accepts it for <see cref="Name"/>.</summary>
    public string VerifiedSerial()
    {
        // The test CAs are roots: lego's issuer file is then empty (no intermediates), which openssl's -untrusted refuses.
        string[] untrusted = new FileInfo(Issuer).Length > 0 ? ["-untrusted", Issuer] : [];
        var verify = Tool.Openssl(["verify", "-CAfile", root, .. untrusted, "-purpose", "sslserver", "-verify_hostname", Name, Leaf]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var serial = Tool.Openssl("x509", "-in", Leaf, "-noout", "-serial");
        Assert.True(serial.ExitCode == 0, serial.ToString());
        return serial.Stdout.Trim().Split('=')[1].ToUpperInvariant();
    }

    /// <summary>True when lego registered a new account in this run (it says so as it saves the account's key).</summary>
    public static bool Registered(ToolResult run) => NewAccount().IsMatch(run.Stdout + run.Stderr);

    [GeneratedRegex("No key found for account|Generating a P256 key|Registering account", RegexOptions.IgnoreCase)]
    private static partial Regex NewAccount();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
