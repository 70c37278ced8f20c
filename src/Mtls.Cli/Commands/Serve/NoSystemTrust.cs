using System.Runtime.InteropServices;

namespace Mtls.Cli.Commands.Serve;

/// <summary>
/// Hides the machine's trust store from this process's TLS stack. `mtls serve` trusts only the CAs given
/// with --client-ca (our own validator, and the platform's client chain build with CustomRootTrust), yet
/// .NET's OpenSSL chain builder loads every certificate of /etc/ssl/certs on its first use whatever the
/// trust mode: 150-250 ms added to the first client's handshake (bench/RESULTS.md: start to first mTLS
/// response, with and without). OpenSSL's SSL_CERT_FILE and SSL_CERT_DIR, which .NET honours, point it at
/// nothing instead. Native setenv: Environment.SetEnvironmentVariable does not reach OpenSSL's getenv.
/// Only for the serve process, before the first chain is built; never in the libraries.
/// </summary>
internal static partial class NoSystemTrust
{
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        SetEnv("SSL_CERT_FILE", "/dev/null", 1);
        SetEnv("SSL_CERT_DIR", "/nonexistent/mtls-serve-trusts-only-its-client-cas", 1);
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
