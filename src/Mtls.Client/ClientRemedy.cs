namespace Mtls.Client;

/// <summary>
/// What would fix a failure, named so a front end can say it in its own terms (`mtls get` names its flags);
/// the library's message gives the facts only. Stable names, used in JSON.
/// </summary>
public enum ClientRemedy
{
    None,
    /// <summary>Trust the CA that issued the server's certificate (or skip the check).</summary>
    TrustServerCa,
    /// <summary>Connect with a name the certificate lists, or reissue it with the host as a SAN.</summary>
    UseListedName,
    /// <summary>The certificate names the host only in its CN: reissue it with a SAN.</summary>
    ReissueWithSan,
    /// <summary>The server's certificate must be renewed (or this machine's clock is wrong).</summary>
    RenewServerCertificate,
    /// <summary>Present a client certificate.</summary>
    SendClientCertificate,
    /// <summary>Wait longer for the answer.</summary>
    WaitLonger,
}
