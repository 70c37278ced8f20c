using System.Diagnostics;

namespace Mtls.Server.Tests;

/// <summary>
/// A client's TLS 1.2 renegotiation is refused at once with an alert (RenegotiationGuard, TlsClose), not
/// held until the keep-alive timeout (31 s) or dropped silently. This test host runs OpenSSL with the
/// machine's configuration (no NoRenegotiation), so the guard withholds the ClientHello and the alert is
/// close_notify; the `mtls serve` process, whose configuration refuses renegotiation, sends
/// no_renegotiation before it.
/// </summary>
[Trait("Category", "Interop")]
public class RenegotiationTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Openssl_s_client_R_is_answered_with_an_alert_and_a_close_at_once()
    {
        await using var server = await HostileServer.StartAsync(pki);
        // R is one of s_client's connected commands: it renegotiates (TLS 1.2, secure renegotiation).
        // Stdin stays open, so s_client's own close_notify at end of input cannot end the connection.
        var (elapsed, output) = await Tool.RunWithOpenStdinAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost",
            "-tls1_2", "-msg", "-CAfile", pki["server-ca.crt"], "-cert", pki["client.crt"], "-key", pki["client.key"]], "R\n");

        Assert.True(elapsed < Quickly, $"closed only after {elapsed.TotalSeconds:0.0} s\n{output}");
        Assert.Contains("RENEGOTIATING", output);
        Assert.True(output.Contains("<<< TLS 1.2, Alert [length 0002], warning close_notify", StringComparison.Ordinal), output);
        var logged = await server.WaitForLogAsync(e => e.Kind == ServerLogKind.HandshakeFailed);
        Assert.Matches("^TLS renegotiation refused with 127\\.0\\.0\\.1:[0-9]+: the client sent a handshake record after the handshake, a TLS 1\\.2 renegotiation", logged.Message);
        await server.AssertGoodClientServedAsync();
    }

    [Fact]
    public async Task A_legacy_renegotiation_without_the_secure_renegotiation_extension_is_not_held()
    {
        await using var server = await HostileServer.StartAsync(pki);
        // %DISABLE_SAFE_RENEGOTIATION: no renegotiation_info extension, the pre-RFC 5746 kind of client.
        // OpenSSL answers it with a no_renegotiation warning that SslStream never sent: the client then
        // waited for a ServerHello and the server for a request until the keep-alive timeout.
        var clock = Stopwatch.StartNew();
        var result = Tool.Run("gnutls-cli", ["--rehandshake", "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION",
            "--x509cafile", pki["server-ca.crt"], "--x509certfile", pki["client.crt"], "--x509keyfile", pki["client.key"],
            "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "localhost"], stdin: "", timeout: TimeSpan.FromSeconds(45));
        clock.Stop();

        Assert.True(clock.Elapsed < Quickly, $"gnutls-cli ended only after {clock.Elapsed.TotalSeconds:0.0} s\n{result}");
        Assert.Contains("ReHandshake has failed", result.Stdout + result.Stderr);
        await server.WaitForLogAsync(e => e.Kind == ServerLogKind.HandshakeFailed && e.Message.StartsWith("TLS renegotiation refused", StringComparison.Ordinal));
        await server.AssertGoodClientServedAsync();
    }
}
