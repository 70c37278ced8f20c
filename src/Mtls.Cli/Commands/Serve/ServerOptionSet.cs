using System.CommandLine;
using System.Net;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Text;
using Mtls.Server;
using Mtls.Cli.Resources;

namespace Mtls.Cli.Commands.Serve;

/// <summary>
/// The TLS endpoint's options, one definition for `mtls serve` and `mtls proxy` (the proxy is serve's
/// endpoint with another application behind the gate): certificate, key, chain, client CAs, CRLs,
/// port, bind, timeouts, connection limit, log format. <see cref="Read"/> turns them into the server's
/// options and the output that prints its log.
/// </summary>
internal sealed class ServerOptionSet
{
    private readonly Option<string> _cert = new("--cert") { Description = HelpText.Opt_ServeCert, Required = true };
    private readonly Option<string> _key = new("--key") { Description = HelpText.Opt_ServeKey, Required = true };
    private readonly Option<string[]> _clientCa;
    private readonly Option<string?> _chain = new("--chain") { Description = HelpText.Opt_ServeChain };
    private readonly Option<int?> _port;
    private readonly Option<string[]> _bind = new("--bind") { Description = HelpText.Opt_ServeBind };
    private readonly Option<string?> _password = CommonOptions.PasswordFile(HelpText.Opt_ServePassword);
    private readonly Option<string[]> _crl = new("--crl")
    {
        Description = HelpText.Opt_ServeCrl,
    };
    private readonly Option<string> _crlStale = new("--crl-stale")
    {
        Description = HelpText.Opt_ServeCrlStale,
        DefaultValueFactory = _ => "refuse",
    };
    private readonly Option<string> _handshakeTimeout = new("--handshake-timeout") { Description = HelpText.Opt_ServeHandshakeTimeout, DefaultValueFactory = _ => "10s" };
    private readonly Option<int> _maxConnections = new("--max-connections")
    {
        Description = HelpText.Opt_ServeMaxConnections,
        DefaultValueFactory = _ => 1000,
    };
    private readonly Option<string> _logFormat = new("--log-format")
    {
        Description = HelpText.Opt_ServeLogFormat,
        DefaultValueFactory = _ => "text",
    };

    /// <param name="clientCaDescription">What --client-ca means for this command.</param>
    /// <param name="portDescription">The port's default for this command.</param>
    /// <param name="clientCaRequired">mtls proxy cannot run without client CAs.</param>
    public ServerOptionSet(string clientCaDescription, string portDescription, bool clientCaRequired = false)
    {
        _clientCa = new Option<string[]>("--client-ca") { Description = clientCaDescription, Required = clientCaRequired };
        _port = new Option<int?>("--port", "-p") { Description = portDescription };
        _crlStale.AcceptOnlyFromAmong("refuse", "warn");
        _logFormat.AcceptOnlyFromAmong("text", "json");
    }

    public IEnumerable<Option> All => [_cert, _key, _clientCa, _chain, _port, _bind, _password, _crl, _crlStale, _handshakeTimeout, _maxConnections, _logFormat];

    /// <summary>
    /// The server's options from the command line (files loaded now; a setting the server cannot use is
    /// reported by the server's own validation, in its words), and the output that prints its log.
    /// </summary>
    public (MtlsServerOptions Options, ServeOutput Output) Read(ParseResult parse, CliContext ctx, Func<bool, int> defaultPort, Mtls.Server.Proxy.ProxyOptions? proxy = null)
    {
        var keyPassword = CommonOptions.ReadPassword(parse.GetValue(_password), ctx);
        var (leaf, intermediates) = CertificateFile.LoadWithKey(parse.GetValue(_cert)!, parse.GetValue(_key)!, keyPassword);
        var cas = TlsFiles.Bundles(parse.GetValue(_clientCa));
        var output = new ServeOutput(ctx, CommonOptions.IsVerbose(parse), parse.GetValue(_logFormat) == "json" ? LogFormat.Json : LogFormat.Text);
        var options = new MtlsServerOptions
        {
            Certificate = leaf,
            Chain = [.. intermediates, .. TlsFiles.Bundles(parse.GetValue(_chain) is { } c ? [c] : null)],
            ClientCas = cas,
            Port = parse.GetValue(_port) ?? defaultPort(cas.Count > 0),
            Bind = Addresses(parse.GetValue(_bind)),
            HandshakeTimeout = TlsFiles.Duration(parse.GetValue(_handshakeTimeout)!, "--handshake-timeout"),
            MaxConnections = parse.GetValue(_maxConnections),
            CrlFiles = parse.GetValue(_crl) ?? [],
            AcceptStaleCrls = parse.GetValue(_crlStale) == "warn",
            CertificateFile = parse.GetValue(_cert),
            KeyFile = parse.GetValue(_key),
            KeyPassword = keyPassword,
            Log = output.Write,
            Language = Language.FromEnvironment(ctx.Env), // LC_ALL, LC_MESSAGES, LANG; a browser's Accept-Language still wins for its answers
            Proxy = proxy,
        };
        return (options, output);
    }

    /// <summary>Starts the server, prints its URL, and runs until Ctrl+C or SIGTERM (exit 0).</summary>
    public static async Task<int> RunAsync(MtlsServerOptions options, ServeOutput output, CliContext ctx, CancellationToken ct, Action<MtlsServer>? started = null)
    {
        OpenSslProcessConfiguration.HideSystemTrust(); // the server trusts only --client-ca: skip loading /etc/ssl/certs
        // Settings the server cannot use (and a port it cannot listen on) come back as MtlsException,
        // said in the server's words and language: CliApp prints them as the one error line.
        var server = await MtlsServer.StartAsync(options, ct);
        output.Listening(server.Urls[0]);
        started?.Invoke(server);
        // Ctrl+C and SIGTERM stop the server gracefully (exit 0) instead of killing the process.
        using var shutdown = new ShutdownSignal(ct);
        await server.WaitForShutdownAsync(shutdown.Token);
        output.Drain();
        return 0;
    }

    public static IReadOnlyList<IPAddress> Addresses(string[]? values)
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
