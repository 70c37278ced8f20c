using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mtls.Server.Tests;

/// <summary>`openssl s_server` on a free port, ready when it has printed ACCEPT; killed on dispose.</summary>
public sealed class OpensslServer : IDisposable
{
    private readonly Process _process;

    public int Port { get; }

    private OpensslServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public static async Task<OpensslServer> StartAsync(params string[] args)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var a in (string[])["s_server", "-accept", $"127.0.0.1:{port}", .. args]) info.ArgumentList.Add(a);
            var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            // s_server prints "ACCEPT" once it listens: wait for that line, not for a guessed time.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                if (line.Contains("ACCEPT", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync(); // keep draining
                    return new OpensslServer(process, port);
                }
            // Exited without listening (the port was taken between our probe and its bind): retry.
            var error = await stderr;
            process.Dispose();
            if (attempt == 3) throw new InvalidOperationException($"openssl s_server did not start: {error}");
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
