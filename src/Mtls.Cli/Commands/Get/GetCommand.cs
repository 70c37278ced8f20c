using System.CommandLine;
using Mtls.Pki.Certificates;
using Mtls.Cli.Commands.Serve;
using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using Mtls.Client;
using Mtls.Pki;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.Get;

/// <summary>`mtls get`: curl for the workshop, with client certificates, private CAs and explained failures.</summary>
internal static class GetCommand
{
    public static Command Build(CliContext ctx)
    {
        var url = new Argument<string>("url") { Description = HelpText.Arg_GetUrl };
        var cacert = new Option<string[]>("--cacert") { Description = HelpText.Opt_GetCacert };
        var cert = new Option<string?>("--cert", "-E") { Description = HelpText.Opt_GetCert };
        var key = new Option<string?>("--key") { Description = HelpText.Opt_GetKey };
        var password = CommonOptions.PasswordFile(HelpText.Opt_GetPassword);
        var insecure = new Option<bool>("--insecure", "-k") { Description = HelpText.Opt_GetInsecure };
        var accept = new Option<string?>("--accept") { Description = HelpText.Opt_GetAccept };
        var timeout = new Option<string>("--timeout") { Description = HelpText.Opt_GetTimeout, DefaultValueFactory = _ => "10s" };
        var json = CommonOptions.Json();
        var command = new Command("get", CommandHelp.Of(HelpText.Help_Get,
                "mtls get https://localhost:8443/ --cacert server-ca.crt",
                "mtls get https://localhost:8443/ --cacert server.crt",
                "mtls get https://localhost:9443/ --cert client.crt --key client.key --cacert server-ca.crt",
                "mtls get https://localhost:9443/ --cert client.crt --key client.key --cacert server-ca.crt --verbose",
                "mtls get https://localhost:8443/ -k --json")) { url, cacert, cert, key, password, insecure, accept, timeout, json };
        command.SetAction(async (parse, ct) =>
        {
            var target = ParseUrl(parse.GetValue(url)!);
            var certPath = parse.GetValue(cert);
            var keyPath = parse.GetValue(key);
            if ((certPath is null) != (keyPath is null))
                throw new MtlsException(certPath is null ? VerifyGet.Get_KeyNeedsCert : VerifyGet.Get_CertNeedsKey);
            var client = certPath is null ? null : CertificateFile.LoadWithKey(certPath, keyPath!, CommonOptions.ReadPassword(parse.GetValue(password), ctx)).Leaf;
            var cas = parse.GetValue(cacert) is { Length: > 0 } files ? TlsFiles.Bundles(files) : null;
            var options = new MtlsClientOptions
            {
                TrustedCas = cas,
                ClientCertificate = client,
                Insecure = parse.GetValue(insecure),
                Accept = parse.GetValue(accept),
                Timeout = TlsFiles.Duration(parse.GetValue(timeout)!, "--timeout"),
            };
            var result = await MtlsClient.GetAsync(target, options, ct);

            if (CommonOptions.IsVerbose(parse))
                GetOutput.Verbose(ctx.Err, target, result);
            if (parse.GetValue(json))
                Json.Write(ctx.Out, GetOutput.ToJson(target, result), GetJsonContext.Default.GetJson);
            else if (result.Body.Length > 0)
                ctx.Out.Write(result.Body.EndsWith('\n') ? result.Body : result.Body + "\n");
            if (result.Failure is { } failure)
                CliApp.Error(ctx, failure.Message + Remedy(failure, target));
            return result.Success ? 0 : (int)ExitCode.Failed;
        });
        return command;
    }

    /// <summary>
    /// The fix in mtls get's flags: the client names the remedy, the command says it (the workshop says
    /// it the same way after its own accesses).
    /// </summary>
    internal static string Remedy(ClientFailure failure, Uri target) => failure.Remedy switch
    {
        ClientRemedy.TrustServerCa => VerifyGet.Get_Remedy_TrustServerCa,
        ClientRemedy.UseListedName => Language.Format(VerifyGet.Get_Remedy_UseListedName, target.DnsSafeHost),
        ClientRemedy.ReissueWithSan => VerifyGet.Get_Remedy_ReissueWithSan,
        ClientRemedy.RenewServerCertificate => VerifyGet.Get_Remedy_RenewServerCertificate,
        ClientRemedy.SendClientCertificate => VerifyGet.Get_Remedy_SendClientCertificate,
        ClientRemedy.WaitLonger => VerifyGet.Get_Remedy_WaitLonger,
        _ => "",
    };

    private static Uri ParseUrl(string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.Host.Length > 0)
            return uri;
        throw new MtlsException(Language.Format(VerifyGet.Get_NotAnHttpsUrl, text));
    }
}
