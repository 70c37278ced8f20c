using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Client.Online;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Online;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>The flags that say which online CA to talk to and how to recognise it (--ca-url, --root, --fingerprint), shared by enroll and cert renew.</summary>
internal sealed class CaConnection
{
    public Option<string?> Url { get; } = new("--ca-url") { Description = Online.Opt_CaUrl };
    public Option<string?> Root { get; } = new("--root") { Description = Online.Opt_Root };
    public Option<string?> Fingerprint { get; } = new("--fingerprint") { Description = Online.Opt_Fingerprint };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Root);
        command.Options.Add(Fingerprint);
    }

    public Uri CaUrl(ParseResult parse)
    {
        var text = parse.GetValue(Url) ?? throw new MtlsException(Online.Error_NoCaUrl);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != "https")
            throw new MtlsException(Language.Format(Online.Error_NotHttpsUrl, text));
        return url;
    }

    public CaTrust Trust(ParseResult parse)
    {
        var root = parse.GetValue(Root);
        var fingerprint = parse.GetValue(Fingerprint);
        if ((root is null) == (fingerprint is null))
            throw new MtlsException(Online.Error_RootOrFingerprint);
        if (root is not null) return CaTrust.Roots(CertificateFile.LoadAll(root));
        var hex = fingerprint!.Replace(":", "", StringComparison.Ordinal).Trim();
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            throw new MtlsException(Language.Format(Online.Error_BadFingerprint, fingerprint));
        return CaTrust.Fingerprint(hex);
    }

    /// <summary>A refusal as the one error line (exit 1): the problem's type and what the CA said.</summary>
    public static MtlsException Refused(Problem problem) =>
        MtlsException.Refused(Language.Format(Online.Error_CaRefused, problem.Name, problem.Detail));

    public static MtlsException Unreachable(string reason) =>
        MtlsException.Refused(Language.Format(Online.Error_CaUnreachable, reason));
}
