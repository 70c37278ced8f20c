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
        var url = new Argument<string>("url") { Description = "The URL, e.g. https://localhost:9443/." };
        var cacert = new Option<string[]>("--cacert") { Description = "Trust only these CAs for the server (repeatable; the server's own certificate also works, pinned). Default: the system's trust store." };
        var cert = new Option<string?>("--cert", "-E") { Description = "Client certificate to present when the server asks for one (needs --key)." };
        var key = new Option<string?>("--key") { Description = "The client certificate's private key." };
        var password = CommonOptions.PasswordFile("Password file for an encrypted client key (or set MTLS_PASSWORD).");
        var insecure = new Option<bool>("--insecure", "-k") { Description = "Do not check the server's certificate (still shown with --verbose). For tests only." };
        var accept = new Option<string?>("--accept") { Description = "Accept header, e.g. application/json (default */*)." };
        var timeout = new Option<string>("--timeout") { Description = "Time for the whole request (default 10s).", DefaultValueFactory = _ => "10s" };
        var json = CommonOptions.Json();
        var command = new Command("get", """
            Fetch a URL over HTTPS, like curl, and explain any failure in one line (untrusted or expired
            server certificate, wrong host name, client certificate required or refused, plain HTTP port,
            connection refused). --verbose shows the TLS version, cipher, the server's chain and whether
            the server asked for a client certificate and from which CAs. The body goes to stdout.

            Exit codes: 0 a 2xx answer; 1 an HTTP error or a TLS/connection failure; 2 bad usage.

            Examples:
              mtls get https://localhost:8443/ --cacert server-ca.crt
              mtls get https://localhost:8443/ --cacert server.crt
              mtls get https://localhost:9443/ --cert client.crt --key client.key --cacert server-ca.crt
              mtls get https://localhost:9443/ --cert client.crt --key client.key --cacert server-ca.crt --verbose
              mtls get https://localhost:8443/ -k --json
            """) { url, cacert, cert, key, password, insecure, accept, timeout, json };
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

            if (parse.GetValue(CommonOptions.Verbose))
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
