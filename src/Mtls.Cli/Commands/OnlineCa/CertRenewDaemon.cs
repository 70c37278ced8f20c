using System.CommandLine;
using System.Globalization;
using Mtls.Cli.Resources;
using Mtls.Client.Online;
using Mtls.Pki;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>
/// `mtls cert renew ... --ca-url URL --daemon [--renew-at PCT] [--exec CMD ARG...]`: Mtls.Client's
/// <see cref="RenewalDaemon"/> run until SIGTERM/Ctrl+C (exit 0) or a refusal that cannot heal (exit 1), one
/// stdout line per step (time, what, next renewal), the --exec command run after each renewal without a shell.
/// </summary>
internal sealed class CertRenewDaemon
{
    private readonly Option<bool> _daemon = new("--daemon") { Description = Daemon.Opt_Daemon };
    private readonly Option<string?> _renewAt = new("--renew-at") { Description = Daemon.Opt_RenewAt };

    // Every word after --exec is the command's (unknown dashes included), as find -exec and watch do.
    private readonly Option<string[]> _exec = new("--exec") { Description = Daemon.Opt_Exec, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        command.Options.Add(_daemon);
        command.Options.Add(_renewAt);
        command.Options.Add(_exec);
    }

    /// <summary>Whether --daemon was asked for; its own flags are checked here, before any file or the network is touched.</summary>
    public bool Applies(ParseResult parse)
    {
        if (parse.GetValue(_daemon))
        {
            RenewAt(parse.GetValue(_renewAt));
            if (parse.GetResult(_exec) is not null && (parse.GetValue(_exec) ?? []).Length == 0) throw new MtlsException(Daemon.Error_ExecEmpty);
            return true;
        }
        if (parse.GetResult(_exec) is not null) throw new MtlsException(Language.Format(Daemon.Error_DaemonOnly, "--exec"));
        if (parse.GetResult(_renewAt) is not null) throw new MtlsException(Language.Format(Daemon.Error_DaemonOnly, "--renew-at"));
        return false;
    }

    public int Run(ParseResult parse, CliContext ctx, RenewalRequest request)
    {
        var exec = parse.GetResult(_exec) is null ? null : parse.GetValue(_exec) ?? [];
        if (exec is { Length: 0 }) throw new MtlsException(Daemon.Error_ExecEmpty);
        var renewAt = RenewAt(parse.GetValue(_renewAt));
        using var shutdown = new ShutdownSignal(CancellationToken.None);
        var daemon = new RenewalDaemon(new RenewalDaemonOptions
        {
            Request = request,
            RenewAt = renewAt,
            Log = step => Line(ctx, Describe(step)),
            AfterRenewal = exec is null ? null : (_, ct) => RunExecAsync(ctx, exec, ct),
        });
        var last = daemon.RunAsync(shutdown.Token).GetAwaiter().GetResult();
        if (last.Kind != DaemonStepKind.GaveUp) return 0;
        var why = last.Problem is { } p ? $"{p.Name}: {p.Detail}" : last.Reason ?? "?";
        throw MtlsException.Refused(Language.Format(Daemon.Error_GaveUp, last.CertificatePath, why));
    }

    private static double RenewAt(string? text)
    {
        if (text is null) return 2.0 / 3;
        var number = text.TrimEnd('%');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || percent is < 1 or > 99)
            throw new MtlsException(Language.Format(Daemon.Error_BadRenewAt, text));
        return percent / 100;
    }

    /// <summary>A step's log line (without the time), as the daemon prints it; the workshop shows the same.</summary>
    internal static string Describe(DaemonStep step) => step.Kind switch
    {
        DaemonStepKind.Started => Language.Format(Daemon.Daemon_Started, step.CertificatePath, step.Serial, Time(step.NotAfter), Time(step.Next)),
        DaemonStepKind.Renewed => Language.Format(Daemon.Daemon_Renewed, step.CertificatePath, step.Serial, Time(step.NotAfter), Time(step.Next)),
        DaemonStepKind.Retrying => Language.Format(Daemon.Daemon_Retrying, step.Attempt, Why(step), Time(step.Next)),
        DaemonStepKind.GaveUp => Language.Format(Daemon.Daemon_GaveUp, Why(step)),
        _ => Language.Format(Daemon.Daemon_Stopped, step.CertificatePath, Time(step.NotAfter)),
    };

    private static string Why(DaemonStep step) => step.Problem is { } p ? $"{p.Name}: {p.Detail}" : step.Reason ?? "?";

    /// <summary>Runs the --exec command (no shell) and logs its exit status; a command that cannot start is logged, and the daemon goes on.</summary>
    private static async Task RunExecAsync(CliContext ctx, string[] exec, CancellationToken ct)
    {
        var shown = string.Join(' ', exec);
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo(exec[0]) { UseShellExecute = false };
            foreach (var a in exec.Skip(1)) info.ArgumentList.Add(a);
            using var process = System.Diagnostics.Process.Start(info)!;
            await process.WaitForExitAsync(ct);
            Line(ctx, Language.Format(Daemon.Daemon_ExecDone, shown, process.ExitCode));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Line(ctx, Language.Format(Daemon.Daemon_ExecFailed, shown, e.Message));
        }
    }

    private static readonly Lock Gate = new();

    private static void Line(CliContext ctx, string text)
    {
        lock (Gate)
        {
            ctx.Out.WriteLine($"{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} {text}");
            ctx.Out.Flush();
        }
    }

    private static string Time(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "?";
}
