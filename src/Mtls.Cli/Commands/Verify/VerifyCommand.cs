using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Mtls.Cli.Output;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.IO;
using Mtls.Pki.Names;
using Mtls.Pki.Trust;
using Mtls.Pki.Validation;

namespace Mtls.Cli.Commands.Verify;

/// <summary>`mtls verify`: openssl verify -CAfile -untrusted, with our own path validator and explained failures.</summary>
internal static class VerifyCommand
{
    public static Command Build(CliContext ctx)
    {
        var cert = new Argument<string>("cert") { Description = "The certificate to verify (PEM or DER; the first certificate of a bundle, the rest are used as intermediates)." };
        var cacert = new Option<string[]>("--cacert", "-CAfile") { Description = "Trusted CA certificates (PEM bundle; repeatable). Nothing else is trusted.", Required = true };
        var untrusted = new Option<string[]>("--untrusted") { Description = "Intermediate certificates that may be used to build the chain (repeatable)." };
        var purpose = new Option<string?>("--purpose") { Description = "What the certificate must be valid for: server (serverAuth) or client (clientAuth). Default: server with --host, else any." };
        purpose.AcceptOnlyFromAmong("server", "client");
        var host = new Option<string?>("--host") { Description = "The DNS name or IP address the certificate must name (its subjectAltNames; never the CN)." };
        var at = new Option<string?>("--at") { Description = "Verify at this time (ISO 8601, e.g. 2026-01-01T00:00:00Z) instead of now." };
        var crl = new Option<string[]>("--crl") { Description = "A CRL to check revocation against (PEM or DER; repeatable). Nothing is fetched." };
        var maxDepth = new Option<int?>("--max-depth") { Description = "Most intermediate CAs between the certificate and the trusted CA, as openssl's -verify_depth: 0 = signed by the trusted CA directly; the certificate and the trusted CA are not counted (default 8)." };
        var strict = new Option<bool>("--strict") { Description = "Also refuse a CA's lapses that openssl, Go and nginx accept (a missing authorityKeyIdentifier, an underscore in a DNS name, ...; listed in the README): for CA administrators linting their own certificates." };
        var json = CommonOptions.Json();
        var command = new Command("verify", """
            Verify a certificate chain (like 'openssl verify -CAfile ca.crt -untrusted chain.pem cert.crt'),
            against the given CAs only: signatures, validity, CA constraints and path length, name
            constraints, key usage for the purpose, the host name, and revocation when CRLs are given.
            Paths are built with backtracking, so cross-signed and same-name CAs are handled.
            On failure it names the certificate, its depth (0 = the certificate itself), the rule with the
            facts, and what to do. A CA's lapse that openssl, Go and nginx accept (such as a certificate
            without authorityKeyIdentifier) is accepted with a warning line on stderr; --strict refuses it.

            Exit codes: 0 valid, 1 invalid, 2 bad input (unreadable files, a CA file with no certificate,
            a CRL that is not a CRL, a time that is not a time).

            Examples:
              mtls verify server.crt --cacert server-ca.crt --host localhost
              mtls verify client.crt --cacert client-ca.crt --purpose client
              mtls verify server.crt --cacert root.crt --untrusted intermediate.crt --crl root.crl
              mtls verify server.crt --cacert server-ca.crt --at 2027-01-01T00:00:00Z --json
              mtls verify server.crt --cacert root.crt --untrusted intermediate.crt --max-depth 1
              mtls verify issued.crt --cacert ca.crt --strict
            """) { cert, cacert, untrusted, purpose, host, at, crl, maxDepth, strict, json };
        command.SetAction(parse =>
        {
            var certPath = parse.GetValue(cert)!;
            var certs = CertificateFile.LoadAll(certPath);
            var anchors = parse.GetValue(cacert)!.SelectMany(CertificateFile.LoadAll).ToList();
            var extra = certs.Skip(1).Concat((parse.GetValue(untrusted) ?? []).SelectMany(CertificateFile.LoadAll)).ToList();
            var hostName = parse.GetValue(host);
            var options = new VerifyOptions
            {
                Purpose = parse.GetValue(purpose) switch { "server" => Purpose.Server, "client" => Purpose.Client, _ => hostName is null ? Purpose.Any : Purpose.Server },
                Host = hostName,
                At = ParseTime(parse.GetValue(at)) ?? ctx.Now,
                MaxDepth = parse.GetValue(maxDepth) is { } depth ? (depth >= 0 ? depth : throw new MtlsException($"--max-depth {depth}: must be 0 or more (0 = signed by the trusted CA directly).")) : new VerifyOptions().MaxDepth,
                Crls = (parse.GetValue(crl) ?? []).Select(ReadCrl).ToList(),
                Strict = parse.GetValue(strict),
            };
            var result = new ChainVerifier(anchors).Verify(certs[0], extra, options);
            var report = Report(result);
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, report, MtlsJsonContext.Default.VerifyReport);
                return result.IsValid ? 0 : (int)ExitCode.Failed;
            }
            if (result.Failure is { } f)
                throw MtlsException.Refused($"{certPath}: verification failed at depth {f.Depth} ({f.Reason}): {f.Message}. Fix: {report.Fix}");
            foreach (var lapse in result.Lapses)
                ctx.Err.WriteLine($"mtls: warning: {certPath}: depth {lapse.Depth}: {lapse.Message} ({lapse.Kind}: a CA's lapse, accepted as openssl and Go accept it; --strict refuses it)");
            var what = options.Purpose == Purpose.Any ? "" : $" for {(options.Purpose == Purpose.Server ? "serverAuth" : "clientAuth")}";
            ctx.Out.WriteLine($"{certPath}: OK{what}{(hostName is null ? "" : $", host {hostName}")} (at {Describe.Time(options.At.Value)})");
            for (var i = 0; i < report.Chain.Count; i++)
            {
                var e = report.Chain[i];
                ctx.Out.WriteLine($"  {i} {e.Subject}{(i == report.Chain.Count - 1 ? "  (trusted)" : "")}");
                ctx.Out.WriteLine($"      issuer: {e.Issuer}");
                ctx.Out.WriteLine($"      valid:  {Describe.Time(e.NotBefore)} to {Describe.Time(e.NotAfter)}");
            }
            return 0;
        });
        return command;
    }

    private static DateTimeOffset? ParseTime(string? text)
    {
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return t;
        throw new MtlsException($"--at '{text}': is not a time; give ISO 8601, e.g. 2026-01-01T00:00:00Z.");
    }

    private static byte[] ReadCrl(string path)
    {
        var blocks = InputFile.ReadBlocks(path, "a CRL");
        var block = blocks.FirstOrDefault(b => b.Label is "X509 CRL" or "");
        if (block is null)
            throw new MtlsException($"{path}: holds {blocks[0].Label}, not a CRL (-----BEGIN X509 CRL-----); give the CA's CRL file.");
        if (PathValidator.CrlFormatProblem(block.Data) is { } problem)
            throw new MtlsException($"{path}: is not a well-formed CRL ({problem}); get the CRL again from the CA.");
        return block.Data;
    }

    private static VerifyReport Report(VerifyResult result)
    {
        var chain = result.Chain.Select(c => new ChainEntry(DistinguishedName.Format(c.SubjectName), DistinguishedName.Format(c.IssuerName),
            new DateTimeOffset(c.NotBefore.ToUniversalTime()), new DateTimeOffset(c.NotAfter.ToUniversalTime()))).ToList();
        var f = result.Failure;
        var lapses = result.Lapses.Select(l => new LapseEntry(l.Kind.ToString(), l.Depth, l.Subject, l.Message)).ToList();
        return new VerifyReport(result.IsValid, f?.Reason.ToString(), f?.Depth, f?.Subject, f?.Message, f is null ? null : Fix(f), chain, lapses);
    }

    private static string Fix(VerifyFailure f) => f.Lapse is { } lapse
        ? $"this is a CA's lapse ({lapse}) that openssl, Go and nginx accept; fix the CA's profile and reissue, or verify without --strict"
        : Fix(f.Reason);

    private static string Fix(FailureReason reason) => reason switch
    {
        FailureReason.UnknownIssuer => "give the issuing CA with --cacert, and any intermediate CA with --untrusted",
        FailureReason.Expired => "renew the certificate (mtls ca sign) or check --at",
        FailureReason.NotYetValid => "check this machine's clock and --at, or wait until the certificate is valid",
        FailureReason.WrongUsage => "issue the certificate with the right profile (mtls ca sign --profile server|client)",
        FailureReason.BadSignature => "the certificate was altered or signed by another key; issue it again",
        FailureReason.NotACa => "issue certificates from a CA certificate (mtls ca create)",
        FailureReason.PathLengthExceeded => "shorten the chain, or reissue the CA with a larger path length",
        FailureReason.HostMismatch => "connect with a name the certificate lists, or reissue it with --san",
        FailureReason.NameConstraintsViolated => "reissue the certificate with names the CA is allowed to certify",
        FailureReason.Revoked => "issue a new certificate (this one was revoked by its CA)",
        FailureReason.CrlProblem => "get a fresh CRL signed by the CA",
        FailureReason.ChainTooDeep => "shorten the chain, or raise --max-depth",
        FailureReason.UnsupportedAlgorithm => "reissue the certificate with an RSA (2048 bits or more) or ECDSA P-256/P-384/P-521 key (mtls key create), signed with SHA-256/384/512",
        _ => "reissue the certificate with mtls ca sign",
    };
}
