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
        var cert = new Option<string>("--cert") { Description = "The server's certificate (PEM; intermediates may follow the leaf).", Required = true };
        var key = new Option<string>("--key") { Description = "The server's private key.", Required = true };
        var clientCa = new Option<string[]>("--client-ca")
        {
            Description = "Require a client certificate issued by this CA (repeatable); only these CAs are trusted, never the system's. Without it no client certificate is asked for.",
        };
        var chain = new Option<string?>("--chain") { Description = "Intermediate CA certificates to send after the server's certificate." };
        var port = new Option<int?>("--port", "-p") { Description = "Port to listen on (default 8443, or 9443 with --client-ca; 0 picks a free one)." };
        var bind = new Option<string[]>("--bind") { Description = "Address to listen on (repeatable; default localhost: 127.0.0.1 and ::1; '*' for all)." };
        var password = CommonOptions.PasswordFile("Password file for an encrypted server key (or set MTLS_PASSWORD).");
        var crl = new Option<string[]>("--crl")
        {
            Description = "Refuse client certificates revoked in this CRL (repeatable; PEM or DER, from 'mtls ca crl'). Reloaded when the file changes.",
        };
        var crlStale = new Option<string>("--crl-stale")
        {
            Description = "A CRL past its nextUpdate: refuse the clients it covers (default, as nginx) or warn and use it anyway.",
            DefaultValueFactory = _ => "refuse",
        };
        crlStale.AcceptOnlyFromAmong("refuse", "warn");
        var handshakeTimeout = new Option<string>("--handshake-timeout") { Description = "Time a client has to finish the TLS handshake (default 10s).", DefaultValueFactory = _ => "10s" };
        var maxConnections = new Option<int>("--max-connections")
        {
            Description = "Most connections served at once (default 1000); more are closed at once, so a flood of sockets cannot exhaust the server.",
            DefaultValueFactory = _ => 1000,
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "text (default): one line per event for people; json: one JSON object per line on stdout (event, event_id, remote, method, path, status, client_subject, ...), the URL in the started event.",
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var command = new Command("serve", """
            Run an HTTPS server (TLS 1.2/1.3) that answers every request with who the client is: the
            workshop's server-no-client-auth.go, or with --client-ca its server-require-client-auth.go.
            The first line printed is the URL; then one line per request or refused client, with the
            client certificate's subject, issuer and serial. A refused client gets a 403 that says why;
            plain http:// on this port gets a 400 that says to use https://. With --crl, revoked clients
            are refused. The CRLs and the server's own certificate and key are reloaded when their files
            change, without a restart; certificates and CAs that expire within 30 days are warned about at
            start and daily. A failed TLS handshake is logged with the likely cause; one that a client
            abandoned without a word (browsers drop their first connection after a certificate request)
            only with --verbose. With --log-format json every event is one JSON object per line on
            stdout, for log collectors and jq. Stop with Ctrl+C.

            Examples:
              mtls serve --cert server.crt --key server.key
              mtls serve --cert server.crt --key server.key --client-ca client-ca.crt
              mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --port 0 --bind 127.0.0.1
              mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --crl client-ca.crl
              mtls serve --cert server.crt --key server.key --chain intermediate.crt --bind '*' --port 443
              mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --log-format json
            """) { cert, key, clientCa, chain, port, bind, password, crl, crlStale, handshakeTimeout, maxConnections, logFormat };
        command.SetAction(async (parse, ct) =>
        {
            var keyPassword = CommonOptions.ReadPassword(parse.GetValue(password), ctx);
            var (leaf, intermediates) = CertificateFile.LoadWithKey(parse.GetValue(cert)!, parse.GetValue(key)!, keyPassword);
            var cas = TlsFiles.Bundles(parse.GetValue(clientCa));
            var crls = parse.GetValue(crl) ?? [];
            var timeout = TlsFiles.Duration(parse.GetValue(handshakeTimeout)!, "--handshake-timeout");
            var chosenPort = parse.GetValue(port) ?? (cas.Count > 0 ? 9443 : 8443);
            var addresses = Addresses(parse.GetValue(bind));
            var output = new ServeOutput(ctx, parse.GetValue(CommonOptions.Verbose), parse.GetValue(logFormat) == "json" ? LogFormat.Json : LogFormat.Text);
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
            else throw new MtlsException($"--bind {v}: not an IP address; use e.g. 127.0.0.1, ::1, localhost or '*'.");
        }
        return result.Distinct().ToList();
    }
}
