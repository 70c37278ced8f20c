using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mtls.Client;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Server;

namespace Mtls.Cli.Workshop;

internal sealed record WorkshopOptions(string Dir, System.Globalization.CultureInfo Language, bool KeepRunning, bool Fresh, bool Json);

/// <summary>
/// Runs the seed workshop end to end with mtls's own library, servers and client (and curl when it is
/// installed), narrating each step: who acts, what is made and why, the equivalent openssl/curl command.
/// </summary>
internal sealed partial class WorkshopRunner(CliContext ctx, WorkshopOptions options)
{
    private readonly WorkshopText _t = new(options.Language);
    private readonly WorkshopFiles _files = new(Path.GetFullPath(options.Dir));
    private readonly ConcurrentQueue<ServerLogEntry> _log = new();
    private WorkshopReport _report = null!;
    private int _step;
    private volatile bool _keepRunning;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var w = options.Json ? ctx.Err : ctx.Out;
        _report = new WorkshopReport(w, _t, ctx.Color && !options.Json);
        var curl = new CurlRunner(_files["client"], _t);
        _report.Title(_t["title"]);
        w.WriteLine(_t.F("intro", _files.Root));
        if (options.Fresh)
        {
            _files.Clean();
            w.WriteLine(_t["fresh"]);
        }
        try
        {
            _files.CreateFolders();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A --dir that cannot hold the workshop is the user's to fix, not a failure to report.
            throw new Pki.MtlsException(_t.F("error.dir", _files.Root, e.Message), inner: e);
        }
        if (!curl.Available) w.WriteLine(_t["nocurl"]);

        var now = ctx.Now;
        // Part 1: server CA, server certificate, HTTPS server, the four access attempts.
        _report.Title(_t["part1"]);
        var (serverCa, caMade) = Make("s.serverca", "role.ca", () => _files.EnsureCa("server-ca/server-ca.crt", "server-ca/server-ca.key", WorkshopFiles.ServerCaSubject, now),
            r => r.Made, r => r.Ca.Certificate,
            $"openssl req -x509 -newkey ec:<(openssl ecparam -name secp384r1) -keyout server-ca.key -out server-ca.crt -days 365 -subj \"{WorkshopFiles.ServerCaSubject}\" -nodes",
            $"mtls ca create --subject \"{WorkshopFiles.ServerCaSubject}\" --days 365 --out server-ca.crt --key-out server-ca.key");
        using var serverCaDisposable = serverCa;
        var (serverKey, keyMade) = Make("s.serverkey", "role.server", () => _files.EnsureKey("server/server.key"), r => r.Made, _ => null,
            "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out server.key",
            "mtls key create --curve P-384 --out server.key");
        var (serverCsr, csrMade) = Make("s.servercsr", "role.server", () => _files.EnsureCsr("server/server.csr", serverKey, WorkshopFiles.ServerSubject, keyMade.Created),
            r => r.Made, _ => null,
            $"openssl req -new -key server.key -out server.csr -subj \"{WorkshopFiles.ServerSubject}\"",
            $"mtls csr create --key server.key --subject \"{WorkshopFiles.ServerSubject}\" --out server.csr");
        var signed = Make("s.serversign", "role.ca", () => _files.EnsureSigned("server/server.crt", serverCsr, serverCa, "server-ca/server-ca.crt", CertificateProfile.Server, caMade.Created || csrMade.Created, now),
            r => r.Made, r => r.Cert,
            "openssl x509 -req -in ../server/server.csr -CA server-ca.crt -CAkey server-ca.key -CAcreateserial -out ../server/server.crt -days 365",
            "mtls ca sign ../server/server.csr --ca-cert server-ca.crt --ca-key server-ca.key --profile server --days 365 --out ../server/server.crt",
            r => r.Notes);

        var serverCert = _files.WithKey("server/server.crt", "server/server.key");
        await using var https = await StartServer("s.https", serverCert, [], 8443, "go run server-no-client-auth.go", "mtls serve --cert server.crt --key server.key", ct);
        var url = $"https://localhost:{https.Port}";
        var serverCrt = CertificateFile.LoadAll(_files["server/server.crt"]);

        await Access("s.http", "role.anyone", false, new Uri($"http://localhost:{https.Port}"), new MtlsClientOptions(),
            curl, $"curl http://localhost:{https.Port}", ["--", $"http://localhost:{https.Port}"], ct);
        await Access("s.notrust", "role.anyone", false, new Uri(url), new MtlsClientOptions(),
            curl, $"curl {url}", ["--", url], ct);
        await Access("s.insecure", "role.anyone", true, new Uri(url), new MtlsClientOptions { Insecure = true },
            curl, $"curl -k {url}", ["-k", url], ct);
        await Access("s.cacert", "role.anyone", true, new Uri(url), new MtlsClientOptions { TrustedCas = serverCrt },
            curl, $"curl {url} --cacert ../server/server.crt", [url, "--cacert", "../server/server.crt"], ct);

        // Part 2: client CA, client certificate, the mTLS server, the mTLS access.
        _report.Title(_t["part2"]);
        var (clientCa, clientCaMade) = Make("s.clientca", "role.clientca", () => _files.EnsureCa("client-ca/client-ca.crt", "client-ca/client-ca.key", WorkshopFiles.ClientCaSubject, now),
            r => r.Made, r => r.Ca.Certificate,
            $"openssl req -x509 -newkey ec:<(openssl ecparam -name secp384r1) -keyout client-ca.key -out client-ca.crt -days 365 -subj \"{WorkshopFiles.ClientCaSubject}\" -nodes",
            $"mtls ca create --subject \"{WorkshopFiles.ClientCaSubject}\" --days 365 --out client-ca.crt --key-out client-ca.key");
        using var clientCaDisposable = clientCa;
        var (clientKey, clientKeyMade) = Make("s.clientkey", "role.client", () => _files.EnsureKey("client/client.key"), r => r.Made, _ => null,
            "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out client.key",
            "mtls key create --curve P-384 --out client.key");
        var (clientCsr, clientCsrMade) = Make("s.clientcsr", "role.client", () => _files.EnsureCsr("client/client.csr", clientKey, WorkshopFiles.ClientSubject, clientKeyMade.Created),
            r => r.Made, _ => null,
            $"openssl req -new -key client.key -out client.csr -subj \"{WorkshopFiles.ClientSubject}\"",
            $"mtls csr create --key client.key --subject \"{WorkshopFiles.ClientSubject}\" --out client.csr");
        Make("s.clientsign", "role.clientca", () => _files.EnsureSigned("client/client.crt", clientCsr, clientCa, "client-ca/client-ca.crt", CertificateProfile.Client, clientCaMade.Created || clientCsrMade.Created, now),
            r => r.Made, r => r.Cert,
            "openssl x509 -req -in ../client/client.csr -CA client-ca.crt -CAkey client-ca.key -CAcreateserial -out ../client/client.crt -days 365",
            "mtls ca sign ../client/client.csr --ca-cert client-ca.crt --ca-key client-ca.key --profile client --days 365 --out ../client/client.crt",
            r => r.Notes);

        await using var mtls = await StartServer("s.mtls", serverCert, [clientCa.Certificate], 9443,
            "go run server-require-client-auth.go", "mtls serve --cert server.crt --key server.key --client-ca ../client-ca/client-ca.crt", ct);
        var mtlsUrl = $"https://localhost:{mtls.Port}";
        var clientCert = _files.WithKey("client/client.crt", "client/client.key");
        await Access("s.mtlsget", "role.client", true, new Uri(mtlsUrl), new MtlsClientOptions { TrustedCas = serverCrt, ClientCertificate = clientCert },
            curl, $"curl --cert client.crt --key client.key {mtlsUrl} --cacert ../server/server.crt",
            ["--cert", "client.crt", "--key", "client.key", mtlsUrl, "--cacert", "../server/server.crt"], ct);

        // Part 3: beyond the seed: what the mTLS server refuses.
        _report.Title(_t["part3"]);
        await Access("s.nocert", "role.attacker", false, new Uri(mtlsUrl), new MtlsClientOptions { TrustedCas = serverCrt },
            curl, $"curl {mtlsUrl} --cacert ../server/server.crt", [mtlsUrl, "--cacert", "../server/server.crt"], ct);
        await Access("s.impostor", "role.attacker", false, new Uri(mtlsUrl), () => new MtlsClientOptions { TrustedCas = serverCrt, ClientCertificate = MakeImpostor(now) },
            curl, $"curl --cert ../impostor/client.crt --key ../impostor/client.key {mtlsUrl} --cacert ../server/server.crt",
            ["--cert", "../impostor/client.crt", "--key", "../impostor/client.key", mtlsUrl, "--cacert", "../server/server.crt"], ct);

        // Part 4: the client CA online, enrollment, automatic renewal, revocation within seconds.
        await OnlinePartAsync(clientCa, serverCert, serverCrt, curl, ct);

        var w2 = options.Json ? ctx.Err : ctx.Out;
        _report.Summary();
        w2.WriteLine();
        w2.WriteLine(_t["closing"]);
        w2.WriteLine(_t.F("goon", _files["client-ca/client-ca.crt"]));
        if (options.Json)
            Output.Json.Write(ctx.Out, _report.Rows, Output.MtlsJsonContext.Default.ListWorkshopRow);

        if (options.KeepRunning)
        {
            w2.WriteLine();
            w2.WriteLine(_t["keeprunning"]);
            w2.WriteLine($"  cd {_files["client"]}");
            w2.WriteLine($"  curl --cacert ../server/server.crt {url}");
            w2.WriteLine($"  curl --cert client.crt --key client.key --cacert ../server/server.crt {mtlsUrl}");
            // In a browser: trust the server CA (mtls trust), and for the mTLS server hand the browser the client identity.
            var serverCaPath = _files["server-ca/server-ca.crt"];
            w2.WriteLine(_t.F("browser", serverCaPath));
            w2.WriteLine($"  mtls trust install {serverCaPath}");
            w2.WriteLine($"  {url}/  {mtlsUrl}/");
            w2.WriteLine(_t.F("browserclient", $"{mtlsUrl}/"));
            w2.WriteLine($"  cd {_files["client"]}");
            w2.WriteLine("  mtls trust install --cert client.crt --key client.key");
            w2.WriteLine("  mtls cert p12 --cert client.crt --key client.key --out client.p12 --password-file p12.pass");
            using var shutdown = new ShutdownSignal(ct);
            _keepRunning = true;
            ShowServerLog(); // requests made while waiting are shown as they come (see the server Log callback)
            try { await Task.Delay(Timeout.Infinite, shutdown.Token); } catch (OperationCanceledException) { }
            w2.WriteLine(_t["stopped"]);
        }
        return _report.Rows.All(r => r.Passed) ? 0 : 1;
    }

    /// <summary>A step that makes files: heading, the files, key facts, the equivalent commands.</summary>
    private TResult Make<TResult>(string title, string role, Func<TResult> action, Func<TResult, Made> made, Func<TResult, X509Certificate2?> cert,
        string openssl, string yourself, Func<TResult, IReadOnlyList<string>>? notes = null)
    {
        var step = ++_step;
        _report.Step(step, title, role);
        var result = action();
        var m = made(result);
        _report.File(m);
        if (cert(result) is { } c)
        {
            var d = CertificateDescription.From(c, ctx.Now);
            _report.Fact("subject", d.Subject);
            _report.Fact("issuer", d.Issuer + (d.SelfSigned ? $" ({_t["selfsigned"]})" : ""));
            _report.Fact("valid", _report.Validity(d));
            if (d.SubjectAltNames.Count > 0) _report.Fact("sans", string.Join(", ", d.SubjectAltNames));
        }
        foreach (var note in notes?.Invoke(result) ?? []) _report.Fact("note", note);
        _report.Fact("openssl", openssl);
        _report.Fact("yourself", yourself);
        _report.Done(step, _t[title]);
        return result;
    }

    private async Task<MtlsServer> StartServer(string title, X509Certificate2 cert, IReadOnlyList<X509Certificate2> clientCas, int port,
        string original, string yourself, CancellationToken ct, IReadOnlyList<string>? crlFiles = null)
    {
        var step = ++_step;
        _report.Step(step, title, "role.server");
        MtlsServer server;
        try
        {
            server = await MtlsServer.StartAsync(Options(port), ct);
        }
        catch (Pki.MtlsException e) when (e.Kind == Pki.MtlsErrorKind.PortInUse)
        {
            server = await MtlsServer.StartAsync(Options(0), ct);
            _report.Fact("note", _t.F("portbusy", port, server.Port));
        }
        _report.Raw(_t.F("listening", $"https://localhost:{server.Port}/"));
        _report.Fact("openssl", original);
        _report.Fact("yourself", yourself.Replace("--key server.key", $"--key server.key --port {server.Port}"));
        _report.Done(step, _t[title]);
        return server;

        MtlsServerOptions Options(int p) => new()
        {
            Certificate = cert,
            ClientCas = clientCas,
            Port = p,
            Bind = [IPAddress.Loopback, IPAddress.IPv6Loopback],
            Log = OnLog,
            CrlFiles = crlFiles ?? [],
            // Part 4 shows a revocation taking effect within seconds: the CRL is polled often.
            ReloadInterval = crlFiles is null ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(100),
            // The workshop's language (CliApp set it from --lang or the locale): the server's log lines and
            // its 400/403 answers to clients that send no Accept-Language (mtls get, curl) speak it too.
            Language = System.Globalization.CultureInfo.CurrentUICulture,
        };
    }

    /// <summary>One access attempt with mtls's client, then the same with curl when installed.</summary>
    private Task Access(string title, string role, bool expectSuccess, Uri url, MtlsClientOptions clientOptions,
        CurlRunner curl, string curlCommand, string[] curlArgs, CancellationToken ct) =>
        Access(title, role, expectSuccess, url, () => clientOptions, curl, curlCommand, curlArgs, ct);

    private async Task Access(string title, string role, bool expectSuccess, Uri url, Func<MtlsClientOptions> makeOptions,
        CurlRunner curl, string curlCommand, string[] curlArgs, CancellationToken ct)
    {
        var step = ++_step;
        _report.Step(step, title, role);
        var clientOptions = makeOptions();
        while (_log.TryDequeue(out _)) { }
        var result = await MtlsClient.GetAsync(url, clientOptions, ct);
        var detail = result.Success
            ? $"HTTP {result.StatusCode}: {FirstLine(result.Body)}"
            : result.Failure is { } failure ? failure.Message + Commands.Get.GetCommand.Remedy(failure, url)
            : $"HTTP {result.StatusCode}: {FirstLine(result.Body)}";
        _report.Outcome(step, _t[title], "mtls", expectSuccess, result.Success, detail);
        ShowServerLog();

        _report.Fact("curl", curlCommand);
        if (curl.Available)
        {
            var r = await curl.RunAsync(curlArgs, ct);
            _report.Outcome(step, _t[title], "curl", expectSuccess, r.Success, r.Detail);
            ShowServerLog();
        }
    }

    /// <summary>Server events are queued during the guided steps and printed live while the servers keep running.</summary>
    private void OnLog(ServerLogEntry entry)
    {
        if (entry.Kind == ServerLogKind.Reloaded) _reloaded?.TrySetResult();
        _log.Enqueue(entry);
        if (_keepRunning)
            lock (_log) ShowServerLog();
    }

    private void ShowServerLog()
    {
        while (_log.TryDequeue(out var entry))
            if (entry.Kind is ServerLogKind.Request or ServerLogKind.Rejected)
                _report.Fact("serverlog", entry.Kind == ServerLogKind.Request && entry.ClientSubject is not null
                    ? _t.F("serverlog.client", entry.Message, entry.ClientIssuer ?? "", entry.ClientSerial ?? "")
                    : entry.Message);
    }

    private X509Certificate2 MakeImpostor(DateTimeOffset now)
    {
        var (ca, _) = _files.EnsureCa("impostor/impostor-ca.crt", "impostor/impostor-ca.key", WorkshopFiles.ClientCaSubject, now);
        using (ca)
        {
            var (key, keyMade) = _files.EnsureKey("impostor/client.key");
            var (csr, _) = _files.EnsureCsr("impostor/client.csr", key, WorkshopFiles.ClientSubject, keyMade.Created);
            _files.EnsureSigned("impostor/client.crt", csr, ca, "impostor/impostor-ca.crt", CertificateProfile.Client, true, now);
            _report.Fact("wrote", "impostor/impostor-ca.crt, impostor/client.crt (CN=Super Client)");
            return _files.WithKey("impostor/client.crt", "impostor/client.key");
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length > 120 ? line[..120] + "..." : line;
    }
}
