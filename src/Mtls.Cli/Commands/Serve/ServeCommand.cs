using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using System.CommandLine;
using Mtls.Pki.Certificates;
using System.Net;
using Mtls.Pki;
using Mtls.Pki.Text;
using Mtls.Server;

namespace Mtls.Cli.Commands.Serve;

/// <summary>`mtls serve`: the workshop's Go servers (with and without client authentication) in one command.</summary>
internal static class ServeCommand
{
    public static Command Build(CliContext ctx)
    {
        var cert = new Option<string>("--cert") { Description = HelpText.Opt_ServeCert, Required = true };
        var key = new Option<string>("--key") { Description = HelpText.Opt_ServeKey, Required = true };
        var clientCa = new Option<string[]>("--client-ca")
        {
            Description = HelpText.Opt_ServeClientCa,
        };
        var chain = new Option<string?>("--chain") { Description = HelpText.Opt_ServeChain };
        var port = new Option<int?>("--port", "-p") { Description = HelpText.Opt_ServePort };
        var bind = new Option<string[]>("--bind") { Description = HelpText.Opt_ServeBind };
        var password = CommonOptions.PasswordFile(HelpText.Opt_ServePassword);
        var crl = new Option<string[]>("--crl")
        {
            Description = HelpText.Opt_ServeCrl,
        };
        var crlStale = new Option<string>("--crl-stale")
        {
            Description = HelpText.Opt_ServeCrlStale,
            DefaultValueFactory = _ => "refuse",
        };
        crlStale.AcceptOnlyFromAmong("refuse", "warn");
        var handshakeTimeout = new Option<string>("--handshake-timeout") { Description = HelpText.Opt_ServeHandshakeTimeout, DefaultValueFactory = _ => "10s" };
        var maxConnections = new Option<int>("--max-connections")
        {
            Description = HelpText.Opt_ServeMaxConnections,
            DefaultValueFactory = _ => 1000,
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = HelpText.Opt_ServeLogFormat,
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var command = new Command("serve", CommandHelp.Of(HelpText.Help_Serve,
                "mtls serve --cert server.crt --key server.key",
                "mtls serve --cert server.crt --key server.key --client-ca client-ca.crt",
                "mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --port 0 --bind 127.0.0.1",
                "mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --crl client-ca.crl",
                "mtls serve --cert server.crt --key server.key --chain intermediate.crt --bind '*' --port 443",
                "mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --log-format json")) { cert, key, clientCa, chain, port, bind, password, crl, crlStale, handshakeTimeout, maxConnections, logFormat };
        command.SetAction(async (parse, ct) =>
        {
            var keyPassword = CommonOptions.ReadPassword(parse.GetValue(password), ctx);
            var (leaf, intermediates) = CertificateFile.LoadWithKey(parse.GetValue(cert)!, parse.GetValue(key)!, keyPassword);
            var cas = TlsFiles.Bundles(parse.GetValue(clientCa));
            var crls = parse.GetValue(crl) ?? [];
            var timeout = TlsFiles.Duration(parse.GetValue(handshakeTimeout)!, "--handshake-timeout");
            var chosenPort = parse.GetValue(port) ?? (cas.Count > 0 ? 9443 : 8443);
            var addresses = Addresses(parse.GetValue(bind));
            var output = new ServeOutput(ctx, CommonOptions.IsVerbose(parse), parse.GetValue(logFormat) == "json" ? LogFormat.Json : LogFormat.Text);
            OpenSslProcessConfiguration.HideSystemTrust(); // the server trusts only --client-ca: skip loading /etc/ssl/certs
            // Settings the server cannot use (and a port it cannot listen on) come back as MtlsException,
            // said in the server's words and language: CliApp prints them as the one error line.
            var server = await MtlsServer.StartAsync(new MtlsServerOptions
            {
                Certificate = leaf,
                Chain = [.. intermediates, .. TlsFiles.Bundles(parse.GetValue(chain) is { } c ? [c] : null)],
                ClientCas = cas,
                Port = chosenPort,
                Bind = addresses,
                HandshakeTimeout = timeout,
                MaxConnections = parse.GetValue(maxConnections),
                CrlFiles = crls,
                AcceptStaleCrls = parse.GetValue(crlStale) == "warn",
                CertificateFile = parse.GetValue(cert),
                KeyFile = parse.GetValue(key),
                KeyPassword = keyPassword,
                Log = output.Write,
                Language = Language.FromEnvironment(ctx.Env), // LC_ALL, LC_MESSAGES, LANG; a browser's Accept-Language still wins for its answers
            }, ct);
            output.Listening(server.Urls[0]);
            // Ctrl+C and SIGTERM stop the server gracefully (exit 0) instead of killing the process.
            using var shutdown = new ShutdownSignal(ct);
            await server.WaitForShutdownAsync(shutdown.Token);
            output.Drain();
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<IPAddress> Addresses(string[]? values)
    {
        if (values is null || values.Length == 0) return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        var result = new List<IPAddress>();
        foreach (var v in values)
        {
            if (v is "localhost") result.AddRange([IPAddress.Loopback, IPAddress.IPv6Loopback]);
            else if (v is "*" or "all") result.AddRange([IPAddress.Any, IPAddress.IPv6Any]);
            else if (IPAddress.TryParse(v.Trim('[', ']'), out var address)) result.Add(address);
            else throw new MtlsException(Language.Format(Layout.Serve_BindNotAnAddress, v));
        }
        return result.Distinct().ToList();
    }
}
