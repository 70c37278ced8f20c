using System.CommandLine;
using System.Globalization;
using System.Net;
using Mtls.Ca.Acme;
using Mtls.Pki;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>
/// `mtls ca serve`'s ACME flags: --acme turns ACME on (off by default: anyone who can answer a challenge
/// for a name gets a certificate for it); --acme-http-port, --acme-tls-port and --acme-resolve are the
/// test overrides, refused without --acme and announced at start.
/// </summary>
internal sealed class AcmeServeFlags
{
    private readonly Option<bool> _acme = new("--acme") { Description = Text("Opt_Acme") };
    private readonly Option<int?> _httpPort = new("--acme-http-port") { Description = Text("Opt_AcmeHttpPort") };
    private readonly Option<int?> _tlsPort = new("--acme-tls-port") { Description = Text("Opt_AcmeTlsPort") };
    private readonly Option<string[]> _resolve = new("--acme-resolve") { Description = Text("Opt_AcmeResolve") };

    public void AddTo(Command command)
    {
        command.Options.Add(_acme);
        command.Options.Add(_httpPort);
        command.Options.Add(_tlsPort);
        command.Options.Add(_resolve);
    }

    /// <summary>The ACME options, or null when --acme is off.</summary>
    public AcmeOptions? Read(ParseResult parse)
    {
        var httpPort = parse.GetValue(_httpPort);
        var tlsPort = parse.GetValue(_tlsPort);
        var resolve = parse.GetValue(_resolve) ?? [];
        if (!parse.GetValue(_acme))
        {
            if (httpPort is not null || tlsPort is not null || resolve.Length > 0)
                throw new MtlsException(Text("Error_AcmeFlagsWithoutAcme"));
            return null;
        }
        var map = new Dictionary<string, IPAddress>();
        foreach (var entry in resolve)
        {
            var parsed = AcmeOptions.ParseResolve(entry) ?? throw new MtlsException(Language.Format(Text("Error_AcmeResolve"), entry));
            map[parsed.Key] = parsed.Value;
        }
        return new AcmeOptions { HttpPort = Port(httpPort, 80, "--acme-http-port"), TlsPort = Port(tlsPort, 443, "--acme-tls-port"), Resolve = map };
    }

    private static int Port(int? value, int standard, string option) => value switch
    {
        null => standard,
        >= 1 and <= 65535 => value.Value,
        _ => throw new MtlsException(Language.Format(Text("Error_AcmePort"), option, value)),
    };

    private static string Text(string key) => AcmeText.Get(key, CultureInfo.CurrentUICulture);
}
