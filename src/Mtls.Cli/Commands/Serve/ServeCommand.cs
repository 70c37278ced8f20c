using System.CommandLine;

namespace Mtls.Cli.Commands.Serve;

/// <summary>`mtls serve`: the workshop's Go servers (with and without client authentication) in one command.</summary>
internal static class ServeCommand
{
    public static Command Build(CliContext ctx)
    {
        var shared = new ServerOptionSet(
            "Require a client certificate issued by this CA (repeatable); only these CAs are trusted, never the system's. Without it no client certificate is asked for.",
            "Port to listen on (default 8443, or 9443 with --client-ca; 0 picks a free one).");
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
            """);
        foreach (var option in shared.All) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var (options, output) = shared.Read(parse, ctx, withClientCa => withClientCa ? 9443 : 8443);
            return await ServerOptionSet.RunAsync(options, output, ctx, ct);
        });
        return command;
    }
}
