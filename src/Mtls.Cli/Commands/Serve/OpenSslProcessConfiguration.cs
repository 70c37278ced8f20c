using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Mtls.Server;

namespace Mtls.Cli.Commands.Serve;

/// <summary>
/// The server processes' (`serve`, `proxy`, `ca serve`) OpenSSL environment (one native setenv for both parts): its configuration
/// (<see cref="InstallFor"/>) and no system trust store (<see cref="HideSystemTrust"/>).
/// <see cref="InstallFor"/> gives the `mtls serve` process <see cref="TlsCipherSuites.OpenSslConfiguration"/> as its OpenSSL
/// configuration, so the AEAD-only suites are enforced by OpenSSL itself and .NET keeps caching its
/// SSL_CTX: returning clients resume their TLS sessions (with a per-handshake CipherSuitesPolicy none
/// are). OpenSSL reads OPENSSL_CONF once, when it starts, so this runs first thing in Main, and nothing
/// here may start OpenSSL. The file is an in-memory one (memfd, /proc/self/fd/N): nothing on disk to
/// tamper with or clean up, and its text comes from the same table as the policy. An OPENSSL_CONF the
/// operator set (a FIPS provider, a distribution's crypto policy) is left alone; the server then falls
/// back to the policy, as it does when anything went wrong here (TlsCipherSuites checks what OpenSSL
/// runs, not what was asked for). Native setenv: Environment.SetEnvironmentVariable does not reach
/// OpenSSL's getenv.
/// </summary>
internal static partial class OpenSslProcessConfiguration
{
    public static void InstallFor(string[] args)
    {
        if (!OperatingSystem.IsLinux() || !IsServer(args)) return;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OPENSSL_CONF"))) return;
        int fd;
        try { fd = MemfdCreate("mtls-openssl.cnf", MfdCloexec); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return; } // a libc without memfd: the policy fallback
        if (fd < 0) return;
        using (var handle = new SafeFileHandle(fd, ownsHandle: false))
            RandomAccess.Write(handle, Encoding.ASCII.GetBytes(TlsCipherSuites.OpenSslConfiguration), 0);
        // The descriptor stays open for the life of the process: OpenSSL opens the path when it starts.
        _ = SetEnv("OPENSSL_CONF", $"/proc/self/fd/{fd}", 1);
    }

    /// <summary>
    /// The commands whose process is a TLS server: `serve`, `proxy` and `ca serve`. Each gets the same
    /// suites, one ticket per handshake and cached SSL_CTXs (before, `proxy` and `ca serve` ran OpenSSL's
    /// defaults: two tickets, each re-parsing the client's certificate, and for `proxy` a per-handshake
    /// policy that turned resumption off).
    /// </summary>
    internal static bool IsServer(string[] args) => args.Length > 0 && args[0] switch
    {
        "serve" or "proxy" => true,
        "ca" => args.Length > 1 && args[1] == "serve",
        _ => false,
    };

    /// <summary>
    /// Hides the machine's trust store from this process's TLS stack. `mtls serve` trusts only the CAs given
    /// with --client-ca (our own validator, and the platform's client chain build with CustomRootTrust), yet
    /// .NET's OpenSSL chain builder loads every certificate of /etc/ssl/certs on its first use whatever the
    /// trust mode: 150-250 ms added to the first client's handshake (bench/RESULTS.md, "Where a handshake's time goes": start to first mTLS
    /// response, with and without). OpenSSL's SSL_CERT_FILE and SSL_CERT_DIR, which .NET honours, point it at
    /// nothing instead; OpenSSL reads them on the first chain build, so the serve command may call this
    /// after start-up. Only for the serve process; never in the libraries.
    /// </summary>
    public static void HideSystemTrust()
    {
        if (!OperatingSystem.IsLinux()) return;
        SetEnv("SSL_CERT_FILE", "/dev/null", 1);
        SetEnv("SSL_CERT_DIR", "/nonexistent/mtls-serve-trusts-only-its-client-cas", 1);
    }

    private const uint MfdCloexec = 1;

    [DllImport("libc", EntryPoint = "memfd_create", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int MemfdCreate(string name, uint flags);

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
