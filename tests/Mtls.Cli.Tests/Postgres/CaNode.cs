using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mtls.Pki.Online;

namespace Mtls.Cli.Tests.Postgres;

/// <summary>
/// One `mtls ca serve` node as a user runs it (the built program, its own process, port 0, the URL read
/// from its first stdout line), and an HTTPS client that trusts only the CA's root. <see cref="Kill"/>
/// is SIGKILL: no shutdown, no rollback by the node itself.
/// </summary>
public sealed class CaNode : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly X509Certificate2 _root;

    private CaNode(Process process, Uri url, X509Certificate2 root)
    {
        _process = process;
        Url = url;
        _root = root;
        _http = Client(null);
    }

    public Uri Url { get; }

    /// <summary>An HTTPS client to this node that trusts only the CA's root, presenting <paramref name="clientCertificate"/> if given.</summary>
    public HttpClient Client(X509Certificate2? clientCertificate)
    {
        var root = _root;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The lines the node printed on stdout after its URL (its log: issued, revoked, ...).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Starts `mtls ca serve` on <paramref name="db"/>, with <paramref name="extra"/> options (e.g. --acme ...) after the usual ones.</summary>
    public static async Task<CaNode> StartAsync(string folder, string caCert, string caKey, string db, params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var a in (string[])[Cli.Dll, "ca", "serve", "--ca-cert", caCert, "--ca-key", caKey, "--db", db, "--port", "0", "--default-lifetime", "1h", .. extra])
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (first is null || !first.StartsWith("https://", StringComparison.Ordinal))
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            var err = await stderr;
            process.Dispose();
            throw new InvalidOperationException($"mtls ca serve did not print its URL: {first}\nstderr: {err}");
        }
        var node = new CaNode(process, new Uri(first), X509CertificateLoader.LoadCertificateFromFile(caCert));
        _ = DrainAsync(process.StandardOutput, node.Output);
        return node;
    }

    private static async Task DrainAsync(StreamReader reader, System.Collections.Concurrent.ConcurrentQueue<string> lines)
    {
        try { while (await reader.ReadLineAsync() is { } line) lines.Enqueue(line); } catch (ObjectDisposedException) { }
    }

    /// <summary>POST /v1/enroll with a fresh P-256 key: the status and, on 201, the answer.</summary>
    public async Task<(HttpStatusCode Status, IssuedAnswer? Answer, string Body)> EnrollAsync(string token, string name = "localhost", ECDsa? key = null)
    {
        using var fresh = key is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        var csr = new CertificateRequest($"CN={name}", key ?? fresh!, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        return await EnrollAsync(new EnrollRequest(token, csr));
    }

    public async Task<(HttpStatusCode Status, IssuedAnswer? Answer, string Body)> EnrollAsync(EnrollRequest request)
    {
        using var response = await _http.PostAsJsonAsync("/v1/enroll", request, OnlineJson.Default.EnrollRequest);
        var body = await response.Content.ReadAsStringAsync();
        var answer = response.StatusCode == HttpStatusCode.Created ? JsonSerializer.Deserialize(body, OnlineJson.Default.IssuedAnswer) : null;
        return (response.StatusCode, answer, body);
    }

    /// <summary>Opens a connection (TLS handshake done) so that a later request starts at once.</summary>
    public Task WarmAsync() => _http.GetStringAsync("/health");

    public Task<byte[]> CrlAsync() => _http.GetByteArrayAsync("/crl");

    public void Kill()
    {
        _process.Kill(); // SIGKILL on Linux
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
        _http.Dispose();
    }
}
