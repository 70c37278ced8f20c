namespace Mtls.Cli.Commands.Proxy;

/// <summary>
/// mtls proxy runs socket completions on the epoll thread (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1) and
/// Kestrel's connection work inline with them (ProxyOptions.InlineScheduling): a keep-alive request then costs
/// fewer thread hops, context switches and CPU (bench/RESULTS.md, "mtls proxy: cost of one keep-alive request").
/// A user who set the variable keeps their choice: 0 turns both off.
/// </summary>
internal static class InlineCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets the variable unless the user did (System.Net.Sockets reads it when its first socket engine starts, after this); whether it is on.</summary>
    public static bool Enable(CliContext ctx)
    {
        var chosen = ctx.Env(Variable);
        if (chosen is null) Environment.SetEnvironmentVariable(Variable, "1");
        return (chosen ?? "1") == "1";
    }
}
