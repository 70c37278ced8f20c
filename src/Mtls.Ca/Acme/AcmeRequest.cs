namespace Mtls.Ca.Acme;

/// <summary>
/// A verified ACME POST: the URL it was signed for, the key that signed it, the account (when signed by
/// kid) and the payload. An empty payload is a POST-as-GET (RFC 8555 6.3).
/// </summary>
internal sealed record AcmeRequest(string Url, string Algorithm, AcmeKey Key, AcmeAccount? Account, byte[] Payload)
{
    public bool IsPostAsGet => Payload.Length == 0;

    /// <summary>The account that signed (requests signed by kid only).</summary>
    public AcmeAccount SigningAccount => Account ?? throw new InvalidOperationException("request was not signed by an account");
}
