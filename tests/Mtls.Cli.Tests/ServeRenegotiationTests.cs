using System.Diagnostics;

namespace Mtls.Cli.Tests;

/// <summary>
/// In the `mtls serve` process OpenSSL itself refuses renegotiation (NoRenegotiation in the process's
/// OpenSSL configuration), so a renegotiating client gets a no_renegotiation alert at once, as from nginx
/// (the connection is then closed with close_notify). The in-process server tests (Mtls.Server.Tests.RenegotiationTests) cover the guard
/// without that configuration.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ServeRenegotiationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ServeRenegotiationTests() => WorkshopPkiTests.MakeWorkshopPki(_dir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_renegotiating_client_gets_no_renegotiation_and_close_notify_at_once()
    {
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0");
        var info = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir.Path };
        foreach (var a in (string[])["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost", "-tls1_2", "-msg",
                     "-CAfile", "server-ca.crt", "-cert", "client.crt", "-key", "client.key"])
            info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var client = Process.Start(info)!;
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        // R renegotiates; stdin stays open, so only the server can end the connection.
        await client.StandardInput.WriteAsync("R\n");
        await client.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try { await client.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { client.Kill(entireProcessTree: true); }
        var elapsed = clock.Elapsed;
        client.StandardInput.Close();
        var output = await stdout + await stderr;

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"closed only after {elapsed.TotalSeconds:0.0} s\n{output}");
        Assert.Contains("RENEGOTIATING", output);
        // s_client answers the refusal with its own fatal alert and leaves (so it never reads our close_notify).
        Assert.Contains("<<< TLS 1.2, Alert [length 0002], warning no_renegotiation", output);
        Assert.Contains("no renegotiation", output);
        Assert.Contains("TLS renegotiation refused", await server.WaitForLineAsync("renegotiation"));
    }
}
