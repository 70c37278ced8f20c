using System.Net;
using ProxyResources = Mtls.Cli.Resources.Proxy;
using Mtls.Pki;
using Mtls.Pki.Text;
using Mtls.Server.Proxy;

namespace Mtls.Cli.Commands.Proxy;

/// <summary>mtls proxy's own flags as given (the TLS endpoint's are ServerOptionSet's); <see cref="ToOptions"/> reads them into the server's ProxyOptions.</summary>
internal sealed record ProxySettings(
    string Target,
    string[] AllowCn,
    string[] AllowOu,
    string[] AllowDns,
    string[] AllowUri,
    string[] AllowFingerprint,
    bool AllowAll,
    string[] IdentityHeaders,
    bool ForwardChain,
    string BackendTimeout,
    string HeaderTimeout,
    int MinBodyRate,
    bool UnsafeTarget,
    string? Status,
    bool ProxyProtocol = false,
    string? IdleTimeout = null,
    bool InlineScheduling = false)
{
    public ProxyOptions ToOptions() => new()
    {
        Target = Target,
        Allow = new AllowList
        {
            CommonNames = AllowCn,
            OrganizationalUnits = AllowOu,
            DnsNames = AllowDns,
            UriPatterns = AllowUri,
            Fingerprints = AllowFingerprint,
            AllowAll = AllowAll,
        },
        IdentityHeaders = HeaderSet(IdentityHeaders),
        ForwardChain = ForwardChain,
        BackendTimeout = Serve.TlsFiles.Duration(BackendTimeout, "--backend-timeout"),
        HeaderTimeout = Serve.TlsFiles.Duration(HeaderTimeout, "--header-timeout"),
        MinBodyRate = MinBodyRate,
        UnsafeTarget = UnsafeTarget,
        ProxyProtocol = ProxyProtocol,
        IdleTimeout = IdleTimeout is null ? null : IdleSpan(IdleTimeout),
        InlineScheduling = InlineScheduling,
        Status = Status is null ? null : StatusEndPoint(Status),
    };

    /// <summary>--idle-timeout: "0" for none, else a duration up to a week ("30s", "5m", "1h").</summary>
    public static TimeSpan IdleSpan(string text) =>
        text.Trim() is "0" or "0s" or "0m" ? TimeSpan.Zero : Durations.Parse(text, "--idle-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));

    /// <summary>"rfc9440,simple", repeatable; "none" alone for no identity headers.</summary>
    public static IdentityHeaderSet HeaderSet(string[] values)
    {
        var set = IdentityHeaderSet.None;
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            set |= value.ToLowerInvariant() switch
            {
                "rfc9440" => IdentityHeaderSet.Rfc9440,
                "simple" => IdentityHeaderSet.Simple,
                "xfcc" => IdentityHeaderSet.Xfcc,
                "none" => IdentityHeaderSet.None,
                _ => throw new MtlsException(Language.Format(ProxyResources.Proxy_BadIdentityHeaders, value)),
            };
        return set;
    }

    /// <summary>"127.0.0.1:9000", "[::1]:9000", ":9000" or "9000" (loopback), port 0 for a free one.</summary>
    public static IPEndPoint StatusEndPoint(string text)
    {
        if (int.TryParse(text.TrimStart(':'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port <= 65535)
            return new IPEndPoint(IPAddress.Loopback, port);
        if (IPEndPoint.TryParse(text, out var endPoint) && text.Contains(':', StringComparison.Ordinal) && !text.EndsWith(']'))
            return endPoint;
        if (text.StartsWith("localhost:", StringComparison.Ordinal) && int.TryParse(text["localhost:".Length..], out port) && port is >= 0 and <= 65535)
            return new IPEndPoint(IPAddress.Loopback, port);
        throw new MtlsException(Language.Format(ProxyResources.Proxy_BadStatus, text));
    }
}
