using System.CommandLine;
using Mtls.Cli.Output;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.IO;

namespace Mtls.Cli.Commands.Ca;

/// <summary>`mtls ca sign`: openssl x509 -req -CA -CAkey, with a profile instead of an extension file.</summary>
internal static class CaSignCommand
{
    public static Command Build(CliContext ctx)
    {
        var csr = new Argument<string>("csr") { Description = "The CSR to sign (from the requester; untrusted input)." };
        var caCert = new Option<string>("--ca-cert", "-CA") { Description = "The CA certificate.", Required = true };
        var caKey = new Option<string>("--ca-key", "-CAkey") { Description = "The CA's private key.", Required = true };
        var profile = new Option<string>("--profile") { Description = "What the certificate is for: server (TLS server, serverAuth) or client (mTLS client, clientAuth).", Required = true };
        profile.AcceptOnlyFromAmong("server", "client");
        var days = CommonOptions.Days("Validity in days (default 365; never beyond the CA's own).");
        var san = CommonOptions.San();
        var output = CommonOptions.Out("File to write the certificate to (PEM).");
        var password = CommonOptions.PasswordFile("Password file for an encrypted CA key (or set MTLS_PASSWORD).");
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("sign", """
            Sign a CSR with a CA (like 'openssl x509 -req -CA ca.crt -CAkey ca.key'), under a profile:
            the certificate gets the subject, key and SANs of the CSR and everything else from the profile
            (basicConstraints CA:FALSE, keyUsage, extendedKeyUsage, SKI/AKI, a random 128-bit serial).
            A server certificate always has a SAN: from the CSR, --san, or else the CN when it is a host name.

            Examples:
              mtls ca sign server.csr --ca-cert server-ca.crt --ca-key server-ca.key --profile server --days 365 --out server.crt
              mtls ca sign client.csr --ca-cert client-ca.crt --ca-key client-ca.key --profile client --out client.crt
              mtls ca sign api.csr --ca-cert ca.crt --ca-key ca.key --profile server --san DNS:api.internal --san IP:127.0.0.1 --out api.crt
            """) { csr, caCert, caKey, profile, days, san, output, password, force, json };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            var chosen = CertificateProfile.Get(parse.GetValue(profile)!);
            var validDays = chosen.ValidateDays(parse.GetValue(days));
            var names = CommonOptions.ParseSans(parse.GetValue(san));
            SecureFile.EnsureWritable(outPath, parse.GetValue(force));
            var request = CsrFile.Load(parse.GetValue(csr)!);
            using var ca = CertificateAuthority.Load(parse.GetValue(caCert)!, parse.GetValue(caKey)!, CommonOptions.ReadPassword(parse.GetValue(password), ctx));
            var issued = ca.Issue(request, chosen, validDays, names, ctx.Now);
            CertificateFile.Save(outPath, [issued.Certificate], parse.GetValue(force));

            var description = CertificateDescription.From(issued.Certificate, ctx.Now);
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, new IssuedSummary(outPath, chosen.Name, issued.Notes, description), MtlsJsonContext.Default.IssuedSummary);
                return 0;
            }
            ctx.Out.WriteLine($"Issued {chosen.Name} certificate {outPath}");
            ctx.Out.WriteLine($"  subject:     {description.Subject}");
            ctx.Out.WriteLine($"  issuer:      {description.Issuer}");
            ctx.Out.WriteLine($"  serial:      {description.Serial}");
            ctx.Out.WriteLine($"  SANs:        {(description.SubjectAltNames.Count == 0 ? "(none)" : string.Join(", ", description.SubjectAltNames))}");
            ctx.Out.WriteLine($"  usage:       {string.Join(", ", description.ExtendedKeyUsage)}");
            ctx.Out.WriteLine($"  valid until: {Describe.Time(description.NotAfter)} ({Describe.Expiry(description)})");
            foreach (var note in issued.Notes)
                ctx.Out.WriteLine($"note: {note}");
            ctx.Out.WriteLine(chosen == CertificateProfile.Server
                ? $"Next: hand {outPath} back to the server administrator, who runs: mtls serve --cert {outPath} --key server.key"
                : $"Next: hand {outPath} back to the client administrator, who runs: mtls get https://localhost:9443/ --cert {outPath} --key client.key --cacert server-ca.crt");
            return 0;
        });
        return command;
    }
}
