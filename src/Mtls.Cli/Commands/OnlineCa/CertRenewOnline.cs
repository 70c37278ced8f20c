using System.CommandLine;
using System.Text.Json;
using Mtls.Cli.Resources;
using Mtls.Client.Online;
using Mtls.Pki;
using Mtls.Pki.IO;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>
/// `mtls cert renew C --key K --ca-url URL --root R`: renewal over mTLS by the online CA, one shot
/// (CertificateRenewal in Mtls.Client does the work, reusable by a daemon). Exit 0 when renewed or not
/// due yet (a line says when it will be), 1 when refused or the CA cannot be reached.
/// </summary>
internal sealed class CertRenewOnline
{
    private readonly CaConnection _connection = new();
    private readonly Option<string?> _key = new("--key") { Description = Online.Opt_RenewKey };
    private readonly Option<bool> _renewNow = new("--renew-now") { Description = Online.Opt_RenewNow };
    private readonly Option<string?> _lifetime = new("--lifetime") { Description = Online.Opt_Lifetime };
    private readonly CertRenewDaemon _daemon = new();

    /// <summary>Adds the online flags to `cert renew`.</summary>
    public void AddTo(Command command)
    {
        _connection.AddTo(command);
        command.Options.Add(_key);
        command.Options.Add(_renewNow);
        command.Options.Add(_lifetime);
        _daemon.AddTo(command);
    }

    public bool Applies(ParseResult parse) => parse.GetValue(_connection.Url) is not null;

    /// <summary>Runs the online renewal; the shared flags (file, --out, --rekey, --key-out, --force, --json, --key-password-file) come from `cert renew`.</summary>
    public int Run(ParseResult parse, CliContext ctx, string certPath, string? outPath, bool rekey, string? keyOut, bool force, bool json, string? keyPasswordFile)
    {
        var daemon = _daemon.Applies(parse); // --exec or --renew-at without --daemon: said before anything is read
        var keyPath = parse.GetValue(_key) ?? throw new MtlsException(Online.Error_RenewNeedsKey);
        if (outPath is not null && outPath != certPath) SecureFile.EnsureWritable(outPath, force);
        if (keyOut is not null && keyOut != keyPath) SecureFile.EnsureWritable(keyOut, force);
        long? seconds = parse.GetValue(_lifetime) is { } l ? (long)Durations.Parse(l, "--lifetime", TimeSpan.FromSeconds(1)).TotalSeconds : null;
        var request = new RenewalRequest
        {
            CertificatePath = certPath,
            KeyPath = keyPath,
            KeyPassword = keyPasswordFile is null ? CommonOptions.ReadPassword(null, ctx) : InputFile.ReadPassword(keyPasswordFile),
            CaUrl = _connection.CaUrl(parse),
            Trust = _connection.Trust(parse),
            OutPath = outPath,
            KeyOutPath = keyOut,
            Rekey = rekey,
            IgnoreSchedule = parse.GetValue(_renewNow),
            Force = force,
            LifetimeSeconds = seconds,
        };
        if (daemon) return _daemon.Run(parse, ctx, request);
        var outcome = CertificateRenewal.RenewOnceAsync(request).GetAwaiter().GetResult();
        switch (outcome.Kind)
        {
            case RenewalOutcomeKind.Refused when outcome.Problem is { } problem: throw CaConnection.Refused(problem);
            case RenewalOutcomeKind.Refused: throw MtlsException.Refused(outcome.Reason ?? "?");
            case RenewalOutcomeKind.Unreachable: throw CaConnection.Unreachable(outcome.Reason ?? "?");
        }
        var written = outPath ?? certPath;
        var notAfter = Time(outcome.NotAfter);
        if (json)
        {
            var summary = outcome.Kind == RenewalOutcomeKind.Renewed
                ? new EnrollSummary("renewed", written, rekey ? keyOut ?? keyPath : null, outcome.Serial, notAfter)
                : new EnrollSummary("not-due-yet", certPath, null, outcome.Serial, notAfter, Time(outcome.DueAt));
            ctx.Out.WriteLine(JsonSerializer.Serialize(summary, OnlineCliJson.Default.EnrollSummary));
            return 0;
        }
        ctx.Out.WriteLine(outcome.Kind == RenewalOutcomeKind.Renewed
            ? Language.Format(rekey ? Online.RenewOnline_DoneNewKey : Online.RenewOnline_Done, written, outcome.Serial, notAfter, keyOut ?? keyPath)
            : Language.Format(Online.RenewOnline_NotDue, certPath, Time(outcome.DueAt), notAfter));
        return 0;
    }

    private static string Time(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
