using System.CommandLine;
using Mtls.Cli.Commands.Serve;
using ProxyResources = Mtls.Cli.Resources.Proxy;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.Proxy;

/// <summary>
/// `mtls proxy`: mutual TLS in front of a service that knows nothing of it. `mtls serve`'s TLS endpoint
/// (ServerOptionSet: the same handshake, validation, CRLs, reloads, limits and log), with YARP
/// forwarding behind the gate instead of the hello answer.
/// </summary>
internal static class ProxyCommand
{
    public static Command Build(CliContext ctx)
    {
        var shared = new ServerOptionSet(
            "Only clients with a certificate issued by this CA get through (repeatable; required); only these CAs are trusted, never the system's.",
            "Port to listen on (default 8443; 0 picks a free one).", clientCaRequired: true);
        var target = new Option<string>("--target")
        {
            Description = "The backend: http://127.0.0.1:8080 (a path is put before each request's), unix:/path/to.sock, or tcp://127.0.0.1:5432 (TCP mode: the bytes both ways, no HTTP). Must be on this machine unless --unsafe-target.",
            Required = true,
        };
        var allowCn = new Option<string[]>("--allow-cn") { Description = "Let through clients whose subject CN is exactly this (repeatable; every --allow-* rule is OR'd)." };
        var allowOu = new Option<string[]>("--allow-ou") { Description = "Let through clients with this subject OU (repeatable)." };
        var allowDns = new Option<string[]>("--allow-dns") { Description = "Let through clients with this DNS subjectAltName (repeatable; case-insensitive)." };
        var allowUri = new Option<string[]>("--allow-uri")
        {
            Description = "Let through clients with a URI subjectAltName matching this pattern: '*' is one path segment, '**' anything (repeatable), e.g. 'spiffe://example.org/ns/*/sa/web'.",
        };
        var allowFingerprint = new Option<string[]>("--allow-fingerprint") { Description = "Let through the client certificate with this SHA-256 fingerprint (repeatable; as 'mtls cert show' prints it)." };
        var allowAll = new Option<bool>("--allow-all") { Description = "Let through every client with a valid certificate. Without it, at least one --allow-* rule is required." };
        var identity = new Option<string[]>("--identity-headers")
        {
            Description = "Identity headers for the backend: rfc9440 (Client-Cert), simple (X-Client-Subject, X-Client-San-Dns, X-Client-San-Uri, X-Client-Cert-Sha256), xfcc (Envoy's X-Forwarded-Client-Cert), none; comma-separated or repeated (default rfc9440,simple).",
            DefaultValueFactory = _ => ["rfc9440,simple"],
        };
        var forwardChain = new Option<bool>("--forward-chain") { Description = "Also send the intermediates the client presented (Client-Cert-Chain; Chain in xfcc)." };
        var backendTimeout = new Option<string>("--backend-timeout") { Description = "How long the backend may stay silent before the client gets a 504 (default 30s).", DefaultValueFactory = _ => "30s" };
        var headerTimeout = new Option<string>("--header-timeout") { Description = "Time a client has to send a request's headers (default 10s).", DefaultValueFactory = _ => "10s" };
        var minBodyRate = new Option<int>("--min-body-rate") { Description = "Slowest request body accepted, bytes per second after a 5 s grace (default 240; 0 = no check).", DefaultValueFactory = _ => 240 };
        var unsafeTarget = new Option<bool>("--unsafe-target") { Description = "Allow a target that is not on this machine (identities then cross the network)." };
        var status = new Option<string?>("--status") { Description = "Answer /_status (200, or 503 when the backend does not answer) and /_metrics (Prometheus) over plain HTTP on this address, e.g. 127.0.0.1:9000." };
        var proxyProtocol = new Option<bool>("--proxy-protocol")
        {
            Description = "TCP mode: send a PROXY protocol v2 header first (client and local addresses; TLVs 0x20 SSL with 0x21 version and 0x22 CN, 0xE0 client subject RFC 4514, 0xE1 client certificate DER).",
        };
        var idleTimeout = new Option<string?>("--idle-timeout")
        {
            Description = "TCP mode: close a tunnel that moved no byte either way for this long (default 5m; 0 = never), e.g. 30s, 1h.",
        };
        var command = new Command("proxy", """
            Put mutual TLS in front of a service that knows nothing of it (as ghostunnel, or nginx with
            ssl_verify_client): clients need a certificate from --client-ca, and one of the --allow-*
            rules (or --allow-all); their requests (HTTP/1.1, HTTP/2, WebSockets, gRPC) are forwarded to
            --target with the client's identity in headers (RFC 9440 Client-Cert, X-Client-Subject, ...)
            and X-Forwarded-For/-Proto/-Host. Identity headers sent by the client itself (Client-Cert*,
            X-Client-*, X-Forwarded-*, Forwarded, X-SSL-Client-*, SSL-Client-*, in any case, '_' for '-')
            are removed first. A refused client gets a 403 that says why (no certificate, unknown CA,
            expired, revoked, not on the allow list) and the backend never hears of it; a backend that is
            down gets the client a 502 naming it and the error, one that stays silent a 504. TLS, CRLs,
            reloads, limits and the log are mtls serve's. Stop with Ctrl+C.

            Examples:
              mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-all --target http://127.0.0.1:8080
              mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-cn "Super Client" --target http://127.0.0.1:8080 --port 9443
              mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --crl client-ca.crl --allow-uri 'spiffe://example.org/ns/prod/**' --target unix:/run/app.sock
              mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-ou Ops --identity-headers xfcc --forward-chain --target http://localhost:3000
              mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-cn "Super Client" --target tcp://127.0.0.1:5432 --proxy-protocol --idle-timeout 1h
              mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-all --target http://127.0.0.1:8080 --status 127.0.0.1:9000 --log-format json
            """);
        foreach (var option in shared.All) command.Options.Add(option);
        foreach (var option in new Option[] { target, allowCn, allowOu, allowDns, allowUri, allowFingerprint, allowAll, identity, forwardChain, backendTimeout, headerTimeout,
                     minBodyRate, unsafeTarget, status, proxyProtocol, idleTimeout })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var settings = new ProxySettings(
                parse.GetValue(target)!, parse.GetValue(allowCn) ?? [], parse.GetValue(allowOu) ?? [], parse.GetValue(allowDns) ?? [],
                parse.GetValue(allowUri) ?? [], parse.GetValue(allowFingerprint) ?? [], parse.GetValue(allowAll), parse.GetValue(identity) ?? [],
                parse.GetValue(forwardChain), parse.GetValue(backendTimeout)!, parse.GetValue(headerTimeout)!, parse.GetValue(minBodyRate),
                parse.GetValue(unsafeTarget), parse.GetValue(status), parse.GetValue(proxyProtocol), parse.GetValue(idleTimeout),
                InlineCompletions.Enable(ctx));
            var (options, output) = shared.Read(parse, ctx, _ => 8443, settings.ToOptions());
            return await ServerOptionSet.RunAsync(options, output, ctx, ct, server =>
            {
                if (server.StatusUrl is { } url)
                {
                    ctx.Err.WriteLine(Language.Format(ProxyResources.Proxy_Status, url, new Uri(url, "/_metrics")));
                    ctx.Err.Flush();
                }
            });
        });
        return command;
    }
}
