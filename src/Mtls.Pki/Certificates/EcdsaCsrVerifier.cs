using System.Formats.Asn1;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mtls.Pki.Certificates;

/// <summary>
/// Verifies an ECDSA-signed CSR with libcrypto directly. Why: .NET's public-key import runs OpenSSL's
/// full key check, whose order check (n*Q = O) is a scalar multiplication that cost more than the
/// signature check itself (measured: ~4 ms import vs ~1.3 ms verify for P-384); it dominated batch
/// signing. On the NIST prime curves the cofactor is 1, so a point on the curve (which d2i_PUBKEY
/// checks) is already in the group: the order check adds nothing there. Returns null whenever it
/// cannot decide (not Linux, no libcrypto.so.3, not ECDSA); callers then use the platform path.
/// </summary>
internal static class EcdsaCsrVerifier
{
    private const string LibCrypto = "libcrypto.so.3";
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>The CSR, its signature verified; null to fall back; throws CryptographicException when it does not verify.</summary>
    public static CertificateRequest? TryLoad(byte[] der)
    {
        if (_unavailable) return null;
        byte[] tbs, signature;
        string algorithm;
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            tbs = outer.ReadEncodedValue().ToArray();
            algorithm = outer.ReadSequence().ReadObjectIdentifier();
            signature = outer.ReadBitString(out _);
        }
        catch (AsnContentException)
        {
            return null; // let the platform report the malformed CSR its usual way
        }
        var digest = algorithm switch
        {
            "1.2.840.10045.4.3.2" => "SHA256",
            "1.2.840.10045.4.3.3" => "SHA384",
            "1.2.840.10045.4.3.4" => "SHA512",
            _ => null,
        };
        if (digest is null) return null;
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException)
        {
            return null;
        }
        if (request.PublicKey.Oid.Value != "1.2.840.10045.2.1") return null;
        var valid = Verify(request.PublicKey.ExportSubjectPublicKeyInfo(), digest, tbs, signature);
        return valid switch
        {
            true => request,
            false => throw new CryptographicException("the CSR signature does not verify"),
            null => null,
        };
    }

    private static bool? Verify(byte[] spki, string digest, byte[] tbs, byte[] signature)
    {
        IntPtr key = IntPtr.Zero, ctx = IntPtr.Zero, buffer = Marshal.AllocHGlobal(spki.Length);
        try
        {
            Marshal.Copy(spki, 0, buffer, spki.Length);
            var cursor = buffer;
            key = d2i_PUBKEY(IntPtr.Zero, ref cursor, spki.Length);
            if (key == IntPtr.Zero) return null; // not on the curve or not decodable: the platform decides and explains
            var md = EVP_get_digestbyname(digest);
            ctx = EVP_MD_CTX_new();
            if (md == IntPtr.Zero || ctx == IntPtr.Zero || EVP_DigestVerifyInit(ctx, IntPtr.Zero, md, IntPtr.Zero, key) != 1) return null;
            return EVP_DigestVerify(ctx, signature, signature.Length, tbs, tbs.Length) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return null;
        }
        finally
        {
            if (ctx != IntPtr.Zero) EVP_MD_CTX_free(ctx);
            if (key != IntPtr.Zero) EVP_PKEY_free(key);
            Marshal.FreeHGlobal(buffer);
            ERR_clear_error(); // leave no error on the thread's queue for .NET's own OpenSSL calls
        }
    }

#pragma warning disable SYSLIB1054 // DllImport: LibraryImport would need unsafe blocks in this project
    [DllImport(LibCrypto)] private static extern IntPtr d2i_PUBKEY(IntPtr a, ref IntPtr pp, long length);
    [DllImport(LibCrypto)] private static extern IntPtr EVP_get_digestbyname([MarshalAs(UnmanagedType.LPStr)] string name);
    [DllImport(LibCrypto)] private static extern IntPtr EVP_MD_CTX_new();
    [DllImport(LibCrypto)] private static extern void EVP_MD_CTX_free(IntPtr ctx);
    [DllImport(LibCrypto)] private static extern int EVP_DigestVerifyInit(IntPtr ctx, IntPtr pctx, IntPtr type, IntPtr engine, IntPtr key);
    [DllImport(LibCrypto)] private static extern int EVP_DigestVerify(IntPtr ctx, byte[] signature, nint signatureLength, byte[] tbs, nint tbsLength);
    [DllImport(LibCrypto)] private static extern void EVP_PKEY_free(IntPtr key);
    [DllImport(LibCrypto)] private static extern void ERR_clear_error();
#pragma warning restore SYSLIB1054
}
