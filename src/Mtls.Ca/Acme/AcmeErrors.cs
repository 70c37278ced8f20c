using System.Globalization;

namespace Mtls.Ca.Acme;

/// <summary>
/// The error types of RFC 8555 6.7 this server sends, each with its HTTP status, and the sentence from
/// the catalogue (Resources/Acme.resx) in the server's language.
/// </summary>
internal sealed class AcmeErrors(CultureInfo culture)
{
    public AcmeException Malformed(string key, params object?[] facts) => Make("malformed", 400, key, facts);
    public AcmeException BadNonce() => Make("badNonce", 400, nameof(Resources.Acme.Problem_BadNonce));
    public AcmeException BadSignatureAlgorithm(string alg) => Make("badSignatureAlgorithm", 400, nameof(Resources.Acme.Problem_BadAlgorithm), alg);
    public AcmeException Unauthorized(string key, params object?[] facts) => Make("unauthorized", 403, key, facts);
    public AcmeException AccountDoesNotExist() => Make("accountDoesNotExist", 400, nameof(Resources.Acme.Problem_AccountDoesNotExist));
    public AcmeException NotFound(string what) => Make("malformed", 404, nameof(Resources.Acme.Problem_NotFound), what);
    public AcmeException OrderNotReady(string status) => Make("orderNotReady", 403, nameof(Resources.Acme.Problem_OrderNotReady), status);
    public AcmeException BadCsr(string key, params object?[] facts) => Make("badCSR", 400, key, facts);
    public AcmeException RejectedIdentifier(string key, params object?[] facts) => Make("rejectedIdentifier", 400, key, facts);
    public AcmeException UnsupportedIdentifier(string type) => Make("unsupportedIdentifier", 400, nameof(Resources.Acme.Problem_UnsupportedIdentifier), type);
    public AcmeException UnsupportedMediaType(string? type) => Make("malformed", 415, nameof(Resources.Acme.Problem_ContentType), type ?? "");
    public AcmeException AlreadyRevoked() => Make("alreadyRevoked", 400, nameof(Resources.Acme.Problem_AlreadyRevoked));
    public AcmeException BadRevocationReason(int reason) => Make("badRevocationReason", 400, nameof(Resources.Acme.Problem_BadRevocationReason), reason);
    public AcmeException ServerInternal(string key, params object?[] facts) => Make("serverInternal", 500, key, facts);

    /// <summary>A challenge's failure, kept on the challenge (the request that started it succeeded).</summary>
    public AcmeProblem Challenge(string type, string key, params object?[] facts) => AcmeProblem.Of(type, 403, Text(key, facts));

    public string Text(string key, params object?[] facts) => AcmeText.Format(key, culture, facts);

    private AcmeException Make(string type, int status, string key, params object?[] facts) => new(AcmeProblem.Of(type, status, Text(key, facts)));
}
