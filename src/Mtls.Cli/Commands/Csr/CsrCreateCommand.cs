using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki.Certificates;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;

namespace Mtls.Cli.Commands.Csr;

/// <summary>`mtls csr create`: openssl req -new.</summary>
internal static class CsrCreateCommand
{
    public static Command Build(CliContext ctx)
    {
        var key = new Option<string>("--key") { Description = Strings.Opt_CsrKey, Required = true };
        var subject = CommonOptions.Subject();
        var san = CommonOptions.San();
        var output = CommonOptions.Out(Strings.Opt_OutCsr);
        var password = CommonOptions.PasswordFile(Strings.Opt_KeyPassword);
        var force = CommonOptions.Force();
        var command = new Command("create", CommandHelp.Of(Strings.Help_CsrCreate,
                "mtls csr create --key server.key --subject \"/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost\" --out server.csr",
                "mtls csr create --key server.key --subject \"CN=api.internal\" --san DNS:api.internal --san IP:10.0.0.5 --out api.csr",
                "mtls csr create --key client.key --subject \"/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=Super Client\" --out client.csr")) { key, subject, san, output, password, force };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            var name = DistinguishedName.Parse(parse.GetValue(subject)!);
            var names = CommonOptions.ParseSans(parse.GetValue(san));
            SecureFile.EnsureWritable(outPath, parse.GetValue(force));
            using var privateKey = PrivateKeyFile.Load(parse.GetValue(key)!, CommonOptions.ReadPassword(parse.GetValue(password), ctx));
            var request = CsrFile.Create(privateKey, name, names);
            SecureFile.WriteText(outPath, CsrFile.ToPem(request), isPrivate: false, parse.GetValue(force));
            ctx.Out.WriteLine(Language.Format(Strings.Csr_Wrote, DistinguishedName.Format(name), KeySpec.Summary(privateKey), outPath));
            if (names.Count > 0)
                ctx.Out.WriteLine(Language.Format(Strings.Csr_RequestedSans, SubjectAlternativeName.FormatList(names)));
            ctx.Out.WriteLine(NextStep.AfterRequest(outPath, NextStep.OfRequest(name, names)));
            return 0;
        });
        return command;
    }
}
