using System.CommandLine;
using System.Text.Json;
using Mtls.Ca;
using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>`mtls ca token`: a one-time enrollment token bound to names and a profile; only its hash is stored.</summary>
internal static class CaTokenCommand
{
    public static Command Build(CliContext ctx)
    {
        var caCert = CaOptions.CaCert();
        var db = CaOptions.Db();
        var san = CommonOptions.San();
        san.Required = true;
        san.Description = Online.Opt_TokenSan;
        var profile = new Option<string>("--profile") { Description = Online.Opt_TokenProfile, DefaultValueFactory = _ => "server" };
        profile.AcceptOnlyFromAmong("server", "client");
        var ttl = new Option<string>("--ttl") { Description = Online.Opt_TokenTtl, DefaultValueFactory = _ => "15m" };
        var json = CommonOptions.Json();
        var command = new Command("token", CommandHelp.Of(Online.Help_CaToken,
            "mtls ca token --ca-cert issuing-ca.crt --san api.internal --san IP:10.0.0.7",
            "mtls ca token --ca-cert client-ca.crt --san 'DNS:worker-1' --profile client --ttl 1h",
            "TOKEN=$(mtls ca token --ca-cert ca.crt --san localhost | tail -n 1)",
            "mtls ca token --ca-cert ca.crt --san localhost --json"))
            { caCert, db, san, profile, ttl, json };
        command.SetAction(parse =>
        {
            var caCertPath = parse.GetValue(caCert)!;
            var names = CommonOptions.ParseSans(parse.GetValue(san));
            var chosen = CertificateProfile.Get(parse.GetValue(profile)!);
            var lifetime = Durations.Parse(parse.GetValue(ttl)!, "--ttl", TimeSpan.FromSeconds(1));
            using var ca = CertificateFile.Load(caCertPath);
            using var store = CaOptions.OpenInventory(caCertPath, parse.GetValue(db), ca);
            var now = ctx.Now;
            var token = EnrollmentToken.New();
            var record = new TokenRecord(EnrollmentToken.Hash(token), names.Select(n => n.ToString()).ToList(), chosen.Name, now, now + lifetime);
            store.AddToken(record);
            var expires = record.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(json))
            {
                // One line: the object, token included, is the last (and only) line, as in the text form.
                ctx.Out.WriteLine(JsonSerializer.Serialize(new TokenSummary(token, record.Names, chosen.Name, expires, store.Path), OnlineCliJson.Default.TokenSummary));
                return 0;
            }
            ctx.Err.WriteLine(Language.Format(Online.Token_Made, string.Join(", ", record.Names), chosen.Name, expires, store.Path));
            ctx.Err.WriteLine(Online.Token_Next);
            ctx.Out.WriteLine(token);
            return 0;
        });
        return command;
    }
}
