using System.Runtime.InteropServices;

namespace Mtls.Pki.Certificates;

// The platform half of EcdsaCsrVerifier: the signature check through Linux's libcrypto (OpenSSL 3).
// EcdsaCsrVerifier.cs reads the CSR portably and asks here; elsewhere this half is unavailable.
internal static partial class EcdsaCsrVerifier
{
    private const string LibCrypto = "libcrypto.so.3";
    private static bool _unavailable = !OperatingSystem.IsLinux();

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
