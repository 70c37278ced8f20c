using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki.Keys;

namespace Mtls.Cli.Commands.Key;

/// <summary>`mtls key create`: openssl genpkey.</summary>
internal static class KeyCreateCommand
{
    public static Command Build(CliContext ctx)
    {
        var output = CommonOptions.Out(Strings.Opt_OutKey);
        var curve = CommonOptions.Curve("P-256");
        var rsa = CommonOptions.Rsa();
        var password = CommonOptions.PasswordFile(Strings.Opt_KeyPasswordOut);
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("create", CommandHelp.Of(Strings.Help_KeyCreate,
                "mtls key create --out server.key",
                "mtls key create --out server.key --curve P-384",
                "mtls key create --out legacy.key --rsa 3072",
                "mtls key create --out ca.key --curve P-384 --password-file ca.pass")) { output, curve, rsa, password, force, json };
        command.SetAction(parse =>
        {
            var spec = KeySpec.FromOptions(parse.GetValue(curve), parse.GetValue(rsa), KeySpec.P256);
            var path = parse.GetValue(output)!;
            var pass = CommonOptions.ReadPassword(parse.GetValue(password), ctx);
            Pki.IO.SecureFile.EnsureWritable(path, parse.GetValue(force));
            using var key = spec.Generate();
            PrivateKeyFile.Save(key, path, pass, parse.GetValue(force));
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, new KeySummary(path, spec.ToString(), pass is not null), MtlsJsonContext.Default.KeySummary);
                return 0;
            }
            ctx.Out.WriteLine(Language.Format(pass is null ? Strings.Key_Wrote : Strings.Key_WroteEncrypted, spec, path));
            ctx.Out.WriteLine(NextStep.AfterKey(path));
            return 0;
        });
        return command;
    }
}
