using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Ca;
using Mtls.Client;
using Mtls.Client.Online;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.Inventory;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;

namespace Mtls.Cli.Workshop;

/// <summary>
/// Part 4, what the seed says is hard: the client CA online (`mtls ca serve`), a machine enrolled with a
/// one-time token, its 60-second certificate renewed by the renewal daemon (the same RenewalDaemon as
/// `mtls cert renew --daemon`) while the mTLS server keeps serving, then revoked and refused within
/// seconds because the server reloads the CRL it is given.
/// </summary>
internal sealed partial class WorkshopRunner
{
    /// <summary>
    /// The demo renews at 2% of the 60-second life (about 1.2 s) so that it fits the workshop, and the demo CA's
    /// storm rule allows it (1%); a real daemon renews at about 2/3 and a real CA refuses before 1/3.
    /// </summary>
    private const double DemoRenewAt = 0.02;

    /// <summary>The enrolled client is named as the seed names its client: its token binds this CN (ca token --cn).</summary>
    private const string ClientCn = "Super Client";
    private TaskCompletionSource? _reloaded;

    private async Task OnlinePartAsync(CertificateAuthority clientCa, X509Certificate2 serverCert, IReadOnlyList<X509Certificate2> serverCrt,
        CurlRunner curl, CancellationToken ct)
    {
        _report.Title(_t["part4"]);
        var caCertPath = _files["client-ca/client-ca.crt"];
        var roots = CaTrust.Roots([clientCa.Certificate]);

        var step = ++_step;
        _report.Step(step, "s.caserve", "role.clientca");
        using var store = CaInventory.Open(CaInventory.DefaultPath(caCertPath), clientCa.Certificate, pooled: true);
        await using var ca = await CaApplication.StartAsync(new CaServerOptions
        {
            Authority = clientCa, Store = store, Roots = [clientCa.Certificate], Port = 0, Bind = [IPAddress.Loopback],
            RenewAfterFraction = DemoRenewAt / 2, Language = CultureInfo.CurrentUICulture,
        }, ct);
        _report.Raw(_t.F("listening", ca.Url));
        _report.Fact("yourself", "mtls ca serve --ca-cert client-ca.crt --ca-key client-ca.key --port 8444");
        _report.Done(step, _t["s.caserve"]);

        step = ++_step;
        _report.Step(step, "s.token", "role.clientca");
        var token = EnrollmentToken.New();
        var now = DateTimeOffset.UtcNow;
        store.AddToken(new TokenRecord(EnrollmentToken.Hash(token), [], "client", now, now.AddMinutes(15), CommonName: ClientCn));
        _report.Raw(_t.F("tokenmade", token[..6] + "...", "CN=" + ClientCn));
        _report.Fact("yourself", $"mtls ca token --ca-cert client-ca.crt --profile client --cn '{ClientCn}' --ttl 15m | tail -n 1 > ../worker/token.txt");
        _report.Done(step, _t["s.token"]);

        step = ++_step;
        _report.Step(step, "s.enroll", "role.client");
        string workerCrt = _files["worker/worker.crt"], workerKey = _files["worker/worker.key"];
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        using (var client = new OnlineCaClient(ca.Url, roots))
        {
            // No subject, as mtls enroll sends: the CA gives the one the token binds.
            var csr = CsrFile.ToPem(CsrFile.Create(key, new X500DistinguishedNameBuilder().Build(), []));
            var enrolled = await client.EnrollAsync(token, csr, 60, ct);
            if (enrolled.Issued is not { } issued)
            {
                _report.Outcome(step, _t["s.enroll"], "mtls", true, false, enrolled.Problem?.Detail ?? enrolled.Unreachable ?? "?");
                return;
            }
            PrivateKeyFile.Save(key, workerKey, null, force: true);
            SecureFile.WriteText(workerCrt, issued.Certificate + issued.Chain, isPrivate: false, force: true);
            _report.Fact("wrote", "worker/worker.key, worker/worker.crt");
            using var leaf = CertificateFile.Load(workerCrt);
            var d = CertificateDescription.From(leaf, DateTimeOffset.UtcNow);
            _report.Fact("subject", d.Subject);
            _report.Fact("valid", _report.Validity(d));
            _report.Outcome(step, _t["s.enroll"], "mtls", true, true, _t.F("serial", issued.Serial));
        }
        _report.Fact("yourself", $"mtls enroll --ca-url {ca.Url} --root ../client-ca/client-ca.crt --token-file token.txt --key worker.key --out worker.crt --lifetime 60s");

        var crlPath = _files["client-ca/client-ca.crl"];
        await FetchCrlAsync(ca.Url, clientCa.Certificate, crlPath, ct);
        await using var server = await StartServer("s.mtlscrl", serverCert, [clientCa.Certificate], 9444,
            "nginx: ssl_client_certificate client-ca.crt; ssl_crl client-ca.crl;",
            "mtls serve --cert server.crt --key server.key --client-ca ../client-ca/client-ca.crt --crl ../client-ca/client-ca.crl", ct, [crlPath]);
        var url = new Uri($"https://localhost:{server.Port}");
        string[] workerCurl = ["--cert", "../worker/worker.crt", "--key", "../worker/worker.key", url.ToString(), "--cacert", "../server/server.crt"];
        var curlLine = $"curl --cert ../worker/worker.crt --key ../worker/worker.key {url} --cacert ../server/server.crt";
        MtlsClientOptions Worker() => new() { TrustedCas = serverCrt, ClientCertificate = _files.WithKey("worker/worker.crt", "worker/worker.key") };

        await Access("s.workerget", "role.client", true, url, Worker, curl, curlLine, workerCurl, ct);

        step = ++_step;
        _report.Step(step, "s.daemon", "role.client");
        var steps = new List<DaemonStep>();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var daemon = new RenewalDaemon(new RenewalDaemonOptions
            {
                Request = new RenewalRequest { CertificatePath = workerCrt, KeyPath = workerKey, CaUrl = ca.Url, Trust = roots },
                RenewAt = DemoRenewAt,
                Jitter = 0,
                Log = s =>
                {
                    steps.Add(s);
                    _report.Raw(Commands.OnlineCa.CertRenewDaemon.Describe(s));
                    if (s.Kind is DaemonStepKind.Renewed or DaemonStepKind.GaveUp) stop.Cancel(); // one renewal is the demo
                },
            });
            await daemon.RunAsync(stop.Token);
        }
        _report.Fact("note", _t["daemon.demo"]);
        _report.Fact("yourself", $"mtls cert renew worker.crt --key worker.key --ca-url {ca.Url} --root ../client-ca/client-ca.crt --daemon --exec /bin/systemctl reload nginx");
        var renewed = steps.FirstOrDefault(s => s.Kind == DaemonStepKind.Renewed);
        _report.Outcome(step, _t["s.daemon"], "mtls", true, renewed is not null,
            renewed is null ? steps.LastOrDefault()?.Reason ?? "?" : $"{steps[0].Serial} -> {renewed.Serial}");

        await Access("s.renewedget", "role.client", true, url, Worker, curl, curlLine, workerCurl, ct);

        step = ++_step;
        _report.Step(step, "s.revoke", "role.clientca");
        var serial = renewed?.Serial ?? steps.FirstOrDefault()?.Serial ?? "";
        store.Revoke(serial, DateTimeOffset.UtcNow, X509RevocationReason.KeyCompromise);
        _reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        await FetchCrlAsync(ca.Url, clientCa.Certificate, crlPath, ct);
        var seen = await Task.WhenAny(_reloaded.Task, Task.Delay(TimeSpan.FromSeconds(5), ct)) == _reloaded.Task;
        _report.Raw(_t.F(seen ? "crl.reloaded" : "crl.notreloaded", serial, clock.ElapsedMilliseconds));
        _report.Fact("yourself", "mtls ca revoke ../worker/worker.crt --ca-cert client-ca.crt --ca-key client-ca.key; curl --cacert client-ca.crt -o client-ca.crl " + ca.Url + "crl");
        _report.Outcome(step, _t["s.revoke"], "mtls", true, seen, _t.F("crl.reloaded", serial, clock.ElapsedMilliseconds));

        await Access("s.revoked", "role.client", false, url, Worker, curl, curlLine, workerCurl, ct);
    }

    /// <summary>The CA's current CRL from GET /crl (the CA recognised by its certificate alone), written atomically where the server watches it.</summary>
    private static async Task FetchCrlAsync(Uri caUrl, X509Certificate2 caCertificate, string path, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(caCertificate);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return certificate is X509Certificate2 c && chain.Build(c);
                },
            },
        });
        var der = await http.GetByteArrayAsync(new Uri(caUrl, "crl"), ct);
        SecureFile.Write(path, der, isPrivate: false, force: true);
    }
}
