using System.CommandLine;
using Mtls.Cli.Commands.Serve;
using Mtls.Cli.Output;
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
            ProxyResources.Opt_ProxyClientCa,
            ProxyResources.Opt_ProxyPort, clientCaRequired: true);
        var target = new Option<string>("--target")
        {
            Description = ProxyResources.Opt_Target,
            Required = true,
        };
        var allowCn = new Option<string[]>("--allow-cn") { Description = ProxyResources.Opt_AllowCn };
        var allowOu = new Option<string[]>("--allow-ou") { Description = ProxyResources.Opt_AllowOu };
        var allowDns = new Option<string[]>("--allow-dns") { Description = ProxyResources.Opt_AllowDns };
        var allowUri = new Option<string[]>("--allow-uri")
        {
            Description = ProxyResources.Opt_AllowUri,
        };
        var allowFingerprint = new Option<string[]>("--allow-fingerprint") { Description = ProxyResources.Opt_AllowFingerprint };
        var allowAll = new Option<bool>("--allow-all") { Description = ProxyResources.Opt_AllowAll };
        var identity = new Option<string[]>("--identity-headers")
        {
            Description = ProxyResources.Opt_IdentityHeaders,
            DefaultValueFactory = _ => ["rfc9440,simple"],
        };
        var forwardChain = new Option<bool>("--forward-chain") { Description = ProxyResources.Opt_ForwardChain };
        var backendTimeout = new Option<string>("--backend-timeout") { Description = ProxyResources.Opt_BackendTimeout, DefaultValueFactory = _ => "30s" };
        var headerTimeout = new Option<string>("--header-timeout") { Description = ProxyResources.Opt_HeaderTimeout, DefaultValueFactory = _ => "10s" };
        var minBodyRate = new Option<int>("--min-body-rate") { Description = ProxyResources.Opt_MinBodyRate, DefaultValueFactory = _ => 240 };
        var unsafeTarget = new Option<bool>("--unsafe-target") { Description = ProxyResources.Opt_UnsafeTarget };
        var status = new Option<string?>("--status") { Description = ProxyResources.Opt_Status };
        var proxyProtocol = new Option<bool>("--proxy-protocol")
        {
            Description = ProxyResources.Opt_ProxyProtocol,
        };
        var idleTimeout = new Option<string?>("--idle-timeout")
        {
            Description = ProxyResources.Opt_IdleTimeout,
        };
        var command = new Command("proxy", CommandHelp.Of(ProxyResources.Help_Proxy,
            "mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-all --target http://127.0.0.1:8080",
            "mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-cn \"Super Client\" --target http://127.0.0.1:8080 --port 9443",
            "mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --crl client-ca.crl --allow-uri 'spiffe://example.org/ns/prod/**' --target unix:/run/app.sock",
            "mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-ou Ops --identity-headers xfcc --forward-chain --target http://localhost:3000",
            "mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-cn \"Super Client\" --target tcp://127.0.0.1:5432 --proxy-protocol --idle-timeout 1h",
            "mtls proxy --cert server.crt --key server.key --client-ca client-ca.crt --allow-all --target http://127.0.0.1:8080 --status 127.0.0.1:9000 --log-format json"));
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
