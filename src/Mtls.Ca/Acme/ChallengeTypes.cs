namespace Mtls.Ca.Acme;

/// <summary>The challenge types offered for a DNS identifier.</summary>
internal static class ChallengeTypes
{
    public const string Http01 = "http-01";
    public const string TlsAlpn01 = "tls-alpn-01";

    public static readonly IReadOnlyList<string> All = [Http01, TlsAlpn01];
}
