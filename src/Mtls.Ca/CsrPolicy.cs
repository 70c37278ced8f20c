using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki;
using Mtls.Pki.Certificates;

namespace Mtls.Ca;

/// <summary>
/// A CSR as the CA takes it from the network: parsed with its signature verified (Pki's CsrFile), and
/// its key strong enough (RSA 2048 bits or more; ECDSA P-256, P-384 or P-521). Anything else is refused
/// as bad-csr or weak-key.
/// </summary>
internal static class CsrPolicy
{
    public static CertificateRequest Parse(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
            throw CaContext.Refuse(RefusalNames.BadCsr, CaText.Say("Refuse_NoCsr"));
        CertificateRequest csr;
        try
        {
            csr = CsrFile.Parse(Encoding.UTF8.GetBytes(pem), "csr");
        }
        catch (MtlsException e)
        {
            throw CaContext.Refuse(RefusalNames.BadCsr, e.Message);
        }
        RequireStrongKey(csr.PublicKey);
        return csr;
    }

    public static void RequireStrongKey(PublicKey key)
    {
        if (key.GetRSAPublicKey() is { } rsa)
            using (rsa)
            {
                if (rsa.KeySize < 2048) throw CaContext.Refuse(RefusalNames.WeakKey, CaText.Say("Refuse_WeakRsa", rsa.KeySize));
                return;
            }
        if (key.GetECDsaPublicKey() is { } ec)
            using (ec)
            {
                if (ec.KeySize is 256 or 384 or 521) return;
                throw CaContext.Refuse(RefusalNames.WeakKey, CaText.Say("Refuse_WeakEc", ec.KeySize));
            }
        throw CaContext.Refuse(RefusalNames.WeakKey, CaText.Say("Refuse_KeyType", key.Oid.FriendlyName ?? key.Oid.Value));
    }
}
