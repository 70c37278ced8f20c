using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Mtls.Pki.Revocation;

namespace Mtls.Ca.Acme;

internal sealed partial class AcmeService
{
    /// <summary>
    /// revokeCert (RFC 8555 7.6), signed either by the account that ordered the certificate (kid) or by
    /// the certificate's own key (jwk). Reasons are RFC 5280's that mtls revokes with.
    /// </summary>
    public Task RevokeCert(HttpContext http) => Post(http, AcmeKeyRule.Either, async (acme, request) =>
    {
        var payload = Payload(request, AcmeJsonContext.Default.RevokeRequest);
        if (!JoseBase64.TryDecode(payload.Certificate, out var der) || der.Length == 0)
            throw Errors.Malformed(nameof(Resources.Acme.Problem_CertificateUnreadable));
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw Errors.Malformed(nameof(Resources.Acme.Problem_CertificateUnreadable));
        }
        using (certificate)
        {
            var code = payload.Reason ?? 0;
            var reason = (X509RevocationReason)code;
            if (code < 0 || !RevocationReasons.Names.Contains(RevocationReasons.Name(reason)))
                throw Errors.BadRevocationReason(code);
            var ordered = await Store.FindCertificateByLeafAsync(Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)), http.RequestAborted);
            var allowed = request.Account is { } account
                ? ordered is not null && ordered.AccountId == account.Id
                : request.Key.SameAs(certificate.PublicKey);
            if (!allowed)
                throw Errors.Unauthorized(nameof(Resources.Acme.Problem_RevokeNotAllowed));
            switch (await Revoker!.RevokeAsync(certificate, reason, http.RequestAborted))
            {
                case AcmeRevocation.AlreadyRevoked: throw Errors.AlreadyRevoked();
                case AcmeRevocation.NotIssuedHere: throw Errors.Unauthorized(nameof(Resources.Acme.Problem_NotIssuedHere));
            }
            http.Response.StatusCode = 200;
        }
    });
}
