using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using System.Security.Cryptography.X509Certificates;
using Mtls.Cli.Output;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.Inventory;
using Mtls.Pki.Keys;

namespace Mtls.Cli.Commands.Ca;

/// <summary>The intermediate-CA half of `mtls ca create` (--parent-cert, --parent-key).</summary>
internal static class CaIntermediate
{
    public static int Create(CliContext ctx, ParseResult parse, string parentCertPath, string parentKeyPath, string? parentPasswordFile, string? db,
        X500DistinguishedName subject, KeySpec spec, int days, int? pathLength, string certPath, string keyPath, string? password, bool force, bool json)
    {
        _ = parse;
        using var parent = CertificateAuthority.Load(parentCertPath, parentKeyPath, CommonOptions.ReadPassword(parentPasswordFile, ctx));
        var parentChain = CaOptions.ChainOf(parentCertPath);
        using var inventory = CaOptions.OpenInventory(parentCertPath, db, parent.Certificate);
        var now = ctx.Now;
        var (ca, notes) = parent.CreateIntermediate(subject, spec, days, now, pathLength);
        using (ca)
        {
            Issuance.RecordThenWrite(inventory, [(ca.Certificate, certPath)], CertificateProfile.IntermediateCa.Name, now, parentChain, force,
                () => PrivateKeyFile.Save(ca.Key, keyPath, password, force));

            var description = CertificateDescription.From(ca.Certificate, now);
            if (json)
            {
                Json.Write(ctx.Out, new IssuedSummary(certPath, CertificateProfile.IntermediateCa.Name, notes, description), MtlsJsonContext.Default.IssuedSummary);
                return 0;
            }
            var pathLen = description.BasicConstraints?.PathLength is int n ? Language.Format(Strings.Ca_PathLen, n) : Strings.Ca_NoPathLen;
            ctx.Out.WriteLine(Language.Format(Strings.Ca_CreatedIntermediate, description.Subject));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_SignedBy, Language.Format(Strings.Ca_SignedBy, description.Issuer, inventory.Path)));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_Certificate, Language.Format(Strings.Ca_IntermediateCertificate, certPath, parentChain.Count, pathLen)));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_PrivateKey, Language.Format(password is null ? Strings.Ca_KeyUnencryptedIntermediate : Strings.Ca_KeyEncrypted, keyPath, spec)));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_ValidUntil, $"{Describe.Time(description.NotAfter)} ({Describe.Expiry(description)})"));
            foreach (var note in notes) ctx.Out.WriteLine(Language.Format(Strings.Note_Line, note));
            ctx.Out.WriteLine(NextStep.AfterCa(certPath, keyPath, Strings.Next_AfterCaChainRemark));
            return 0;
        }
    }
}
