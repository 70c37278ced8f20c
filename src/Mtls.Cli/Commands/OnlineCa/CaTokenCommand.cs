using System.CommandLine;
using System.Text.Json;
using Mtls.Ca;
using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Names;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>
/// `mtls ca token`: one-time enrollment tokens bound to names, a profile and perhaps a subject CN; only
/// their hashes are stored. `--count N` makes N in one run and one transaction (scripts and the bench
/// used to start the command once per token).
/// </summary>
internal static class CaTokenCommand
{
    /// <summary>The most tokens one run makes: a batch is one transaction, and a typo should not fill the inventory.</summary>
    public const int MaxCount = 1000;

    /// <summary>ub-common-name (RFC 5280, appendix A.1).</summary>
    private const int MaxCommonName = 64;

    public static Command Build(CliContext ctx)
    {
        var caCert = CaOptions.CaCert();
        var db = CaOptions.Db();
        var san = CommonOptions.San();
        san.Description = Online.Opt_TokenSan;
        var cn = new Option<string?>("--cn") { Description = Tokens.Opt_TokenCn };
        var profile = new Option<string>("--profile") { Description = Online.Opt_TokenProfile, DefaultValueFactory = _ => "server" };
        profile.AcceptOnlyFromAmong("server", "client");
        var ttl = new Option<string>("--ttl") { Description = Online.Opt_TokenTtl, DefaultValueFactory = _ => "15m" };
        var count = new Option<int>("--count") { Description = Tokens.Opt_TokenCount, DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("token", CommandHelp.Of(Online.Help_CaToken,
            "mtls ca token --ca-cert issuing-ca.crt --san api.internal --san IP:10.0.0.7",
            "mtls ca token --ca-cert client-ca.crt --profile client --cn \"Super Client\" --ttl 1h",
            "TOKEN=$(mtls ca token --ca-cert ca.crt --san localhost | tail -n 1)",
            "mtls ca token --ca-cert ca.crt --san worker.internal --profile client --count 100 --ttl 1h",
            "mtls ca token --ca-cert ca.crt --san localhost --json"))
            { caCert, db, san, cn, profile, ttl, count, json };
        command.SetAction(parse =>
        {
            var caCertPath = parse.GetValue(caCert)!;
            var names = CommonOptions.ParseSans(parse.GetValue(san));
            var commonName = parse.GetValue(cn) is { } given ? CommonName(given) : null;
            var chosen = CertificateProfile.Get(parse.GetValue(profile)!);
            RequireNames(chosen, names, commonName);
            var how = parse.GetValue(count);
            if (how is < 1 or > MaxCount) throw new MtlsException(Language.Format(Tokens.Error_TokenCount, how, MaxCount));
            var lifetime = Durations.Parse(parse.GetValue(ttl)!, "--ttl", TimeSpan.FromSeconds(1));
            using var ca = CertificateFile.Load(caCertPath);
            using var store = CaOptions.OpenInventory(caCertPath, parse.GetValue(db), ca);
            var now = ctx.Now;
            var bound = names.Select(n => n.ToString()).ToList();
            var tokens = Enumerable.Range(0, how).Select(_ => EnrollmentToken.New()).ToList();
            store.AddTokens(tokens.Select(t => new TokenRecord(EnrollmentToken.Hash(t), bound, chosen.Name, now, now + lifetime, CommonName: commonName)).ToList());
            var expires = (now + lifetime).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(json))
            {
                var summaries = tokens.Select(t => new TokenSummary(t, bound, commonName, chosen.Name, expires, store.Path)).ToList();
                // One line, as in the text form: the object (the array with --count) is the last and only line.
                ctx.Out.WriteLine(parse.GetResult(count) is not { Implicit: false }
                    ? JsonSerializer.Serialize(summaries[0], OnlineCliJson.Default.TokenSummary)
                    : JsonSerializer.Serialize(summaries, OnlineCliJson.Default.ListTokenSummary));
                return 0;
            }
            var what = string.Join(", ", (commonName is null ? bound : bound.Prepend("CN=" + commonName)));
            ctx.Err.WriteLine(how == 1
                ? Language.Format(Online.Token_Made, what, chosen.Name, expires, store.Path)
                : Language.Format(Tokens.Tokens_Made, how, what, chosen.Name, expires, store.Path));
            ctx.Err.WriteLine(Online.Token_Next);
            foreach (var token in tokens) ctx.Out.WriteLine(token);
            return 0;
        });
        return command;
    }

    /// <summary>A server token needs a name to connect to; a client token needs a name or a CN to be known by.</summary>
    private static void RequireNames(CertificateProfile profile, IReadOnlyList<SubjectAlternativeName> names, string? commonName)
    {
        if (names.Count > 0) return;
        if (profile == CertificateProfile.Server)
            throw new MtlsException(commonName is null ? Tokens.Error_TokenNoNames : Tokens.Error_ServerTokenNeedsSan);
        if (commonName is null) throw new MtlsException(Tokens.Error_TokenNoNames);
    }

    /// <summary>The CN as given, if it can be a certificate's CN: not empty, no hidden characters, at most 64 characters.</summary>
    private static string CommonName(string given)
    {
        if (string.IsNullOrWhiteSpace(given)) throw new MtlsException(Tokens.Error_TokenCnEmpty);
        if (given.Any(DistinguishedName.IsHidden))
            throw new MtlsException(Language.Format(Tokens.Error_TokenCnHidden, DistinguishedName.Escape(given)));
        if (given.Length > MaxCommonName) throw new MtlsException(Language.Format(Tokens.Error_TokenCnLong, given.Length, MaxCommonName));
        return given;
    }
}
