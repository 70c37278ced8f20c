using Microsoft.AspNetCore.Http;

namespace Mtls.Ca;

/// <summary>
/// The problem types the CA answers with (README, "Running an online CA"), each with its HTTP status and
/// the catalogue key of its title. Stable: clients and scripts match on them.
/// </summary>
public static class RefusalNames
{
    public const string BadRequest = "bad-request";
    public const string TokenUnknown = "token-unknown";
    public const string TokenUsed = "token-used";
    public const string TokenExpired = "token-expired";
    public const string NamesNotAllowed = "names-not-allowed";
    public const string BadCsr = "bad-csr";
    public const string WeakKey = "weak-key";
    public const string LifetimeTooLong = "lifetime-too-long";
    public const string LifetimeTooShort = "lifetime-too-short";
    public const string NoClientCertificate = "no-client-certificate";
    public const string NotIssuedHere = "not-issued-here";
    public const string Revoked = "revoked";
    public const string ExpiredPastGrace = "expired-past-grace";
    public const string Superseded = "superseded";
    public const string RenewingTooOften = "renewing-too-often";
    public const string CaExpired = "ca-expired";

    /// <summary>Every type: its status and its title's key in Resources/CaServer.resx.</summary>
    public static readonly IReadOnlyDictionary<string, (int Status, string TitleKey)> All = new Dictionary<string, (int, string)>
    {
        [BadRequest] = (StatusCodes.Status400BadRequest, "Title_BadRequest"),
        [TokenUnknown] = (StatusCodes.Status403Forbidden, "Title_TokenUnknown"),
        [TokenUsed] = (StatusCodes.Status403Forbidden, "Title_TokenUsed"),
        [TokenExpired] = (StatusCodes.Status403Forbidden, "Title_TokenExpired"),
        [NamesNotAllowed] = (StatusCodes.Status403Forbidden, "Title_NamesNotAllowed"),
        [BadCsr] = (StatusCodes.Status400BadRequest, "Title_BadCsr"),
        [WeakKey] = (StatusCodes.Status400BadRequest, "Title_WeakKey"),
        [LifetimeTooLong] = (StatusCodes.Status400BadRequest, "Title_LifetimeTooLong"),
        [LifetimeTooShort] = (StatusCodes.Status400BadRequest, "Title_LifetimeTooShort"),
        [NoClientCertificate] = (StatusCodes.Status401Unauthorized, "Title_NoClientCertificate"),
        [NotIssuedHere] = (StatusCodes.Status403Forbidden, "Title_NotIssuedHere"),
        [Revoked] = (StatusCodes.Status403Forbidden, "Title_Revoked"),
        [ExpiredPastGrace] = (StatusCodes.Status403Forbidden, "Title_ExpiredPastGrace"),
        [Superseded] = (StatusCodes.Status409Conflict, "Title_Superseded"),
        [RenewingTooOften] = (StatusCodes.Status429TooManyRequests, "Title_RenewingTooOften"),
        [CaExpired] = (StatusCodes.Status503ServiceUnavailable, "Title_CaExpired"),
    };
}
