using Mtls.Pki.Inventory;
using System.CommandLine;
using Mtls.Ca;
using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>`mtls ca serve`: the online CA (enrollment with tokens, renewal over mTLS, the CRL) on the CA's inventory.</summary>
internal static class CaServeCommand
{
    public static Command Build(CliContext ctx)
    {
        var caCert = CaOptions.CaCert();
        var caKey = CaOptions.CaKey();
        var db = CaOptions.Db();
        var password = CommonOptions.PasswordFile(Strings.Opt_CaKeyPassword);
        var port = new Option<int>("--port", "-p") { Description = Online.Opt_CaPort, DefaultValueFactory = _ => 8444 };
        var bind = new Option<string[]>("--bind") { Description = Online.Opt_CaBind };
        var defaultLifetime = new Option<string>("--default-lifetime") { Description = Online.Opt_DefaultLifetime, DefaultValueFactory = _ => "24h" };
        var maxLifetime = new Option<string>("--max-lifetime") { Description = Online.Opt_MaxLifetime, DefaultValueFactory = _ => "30d" };
        var renewGrace = new Option<string>("--renew-grace") { Description = Online.Opt_RenewGrace, DefaultValueFactory = _ => "0" };
        var renewAfter = new Option<string>("--renew-after") { Description = Tokens.Opt_RenewAfter, DefaultValueFactory = _ => "1/3" };
        var name = new Option<string[]>("--name") { Description = Online.Opt_CaName };
        var root = new Option<string?>("--root") { Description = Online.Opt_ServeRoot };
        var command = new Command("serve", CommandHelp.Of(Online.Help_CaServe,
            "mtls ca serve --ca-cert issuing-ca.crt --ca-key issuing-ca.key --root root.crt",
            "mtls ca serve --ca-cert issuing-ca.crt --ca-key issuing-ca.key --port 0 --default-lifetime 1h --max-lifetime 7d",
            "mtls ca serve --ca-cert ca.crt --ca-key ca.key --bind '*' --port 8444 --name ca.internal --name 10.0.0.5",
            "mtls ca serve --ca-cert ca.crt --ca-key ca.key --db /var/lib/mtls/ca.db --renew-grace 1h --renew-after 50%",
            "mtls ca serve --ca-cert ca.crt --ca-key ca.key --bind '*' --db 'postgres://mtls:PASSWORD@db.internal:5432/mtls_ca'",
            "mtls ca serve --ca-cert issuing-ca.crt --ca-key issuing-ca.key --root root.crt --acme --name ca.internal --bind '*'"))
            { caCert, caKey, db, password, port, bind, defaultLifetime, maxLifetime, renewGrace, renewAfter, name, root };
        var acme = new AcmeServeFlags();
        acme.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var caCertPath = parse.GetValue(caCert)!;
            var lifetime = Duration(parse.GetValue(defaultLifetime)!, "--default-lifetime");
            var max = Duration(parse.GetValue(maxLifetime)!, "--max-lifetime");
            var graceText = parse.GetValue(renewGrace)!;
            var grace = graceText.Trim() == "0" ? TimeSpan.Zero : Duration(graceText, "--renew-grace");
            if (lifetime < CaServerOptions.MinLifetime || max < CaServerOptions.MinLifetime)
                throw new MtlsException(Language.Format(Online.Error_LifetimeUnderMinute, (long)CaServerOptions.MinLifetime.TotalSeconds));
            if (lifetime > max)
                throw new MtlsException(Language.Format(Online.Error_DefaultAboveMax, parse.GetValue(defaultLifetime), parse.GetValue(maxLifetime)));
            var fraction = RenewAfter.Parse(parse.GetValue(renewAfter)!);
            var names = CommonOptions.ParseSans(parse.GetValue(name));
            var acmeOptions = acme.Read(parse);
            using var ca = CertificateAuthority.Load(caCertPath, parse.GetValue(caKey)!, CommonOptions.ReadPassword(parse.GetValue(password), ctx));
            using var store = CaOptions.OpenInventory(caCertPath, parse.GetValue(db), ca.Certificate, pooled: true);
            var all = CertificateFile.LoadAll(caCertPath);
            var language = Language.FromEnvironment(ctx.Env);
            var output = new OnlineOutput(ctx);
            var options = new CaServerOptions
            {
                Authority = ca,
                Store = store,
                Chain = CaOptions.ChainOf(caCertPath),
                Roots = ServedRoots(all, parse.GetValue(root)),
                Port = parse.GetValue(port),
                Bind = Serve.ServerOptionSet.Addresses(parse.GetValue(bind)),
                DefaultLifetime = lifetime,
                MaxLifetime = max,
                RenewGrace = grace,
                RenewAfterFraction = fraction,
                Log = output.Line,
                Language = language,
            };
            if (names.Count > 0) options = options with { ServerNames = names };
            if (acmeOptions is not null) options = options with { Endpoints = [.. options.Endpoints, new Mtls.Ca.Acme.AcmeCaEndpoints(acmeOptions)] };
            Serve.OpenSslProcessConfiguration.HideSystemTrust(); // the CA trusts only itself: skip loading /etc/ssl/certs
            await using var app = await CaApplication.StartAsync(options, ct);
            output.Started(app.Url, Language.Format(Online.CaServe_Listening, Pki.Names.DistinguishedName.Format(ca.Certificate.SubjectName),
                app.Url, store.Path, caCertPath));
            if (options.Roots.Count == 0)
                output.Notice(Language.Format(Tokens.Warn_RootsEmpty, Pki.Names.DistinguishedName.Format(ca.Certificate.SubjectName)));
            if (acmeOptions?.TestOverridesWarning(language) is { } warning) output.Notice(warning);
            using var shutdown = new ShutdownSignal(ct);
            await app.WaitForShutdownAsync(shutdown.Token);
            output.Notice(Online.CaServe_Stopped);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// What /roots.pem serves: the self-signed certificates in the CA's file (the CA itself when it is a
    /// root, or the root its chain ends in), then those of --root, each once.
    /// </summary>
    private static List<System.Security.Cryptography.X509Certificates.X509Certificate2> ServedRoots(
        IEnumerable<System.Security.Cryptography.X509Certificates.X509Certificate2> caFile, string? rootPath) =>
        [.. caFile.Where(IssuingCa.IsSelfSigned).Concat(rootPath is null ? [] : CertificateFile.LoadAll(rootPath))
            .DistinctBy(c => c.Thumbprint, StringComparer.Ordinal)];

    private static TimeSpan Duration(string text, string option) => Durations.Parse(text, option, TimeSpan.FromSeconds(1));
}
