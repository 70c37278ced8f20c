using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;
using Mtls.Pki.Revocation;
using Mtls.Pki.Trust;
using Mtls.Pki.Validation;

namespace Mtls.Fuzzing;

/// <summary>
/// The readers of Mtls.Pki that take untrusted bytes, each driven the way the CLI and the server drive
/// it. Contract: the only exception that may escape is <see cref="MtlsException"/> (a user-facing
/// message); anything else is a bug. Readers that report problems as values (the validator, the CRL
/// format check) must not throw at all. One table for both fuzzers: the in-process mutation fuzzer of
/// tests/Mtls.Pki.Tests and the SharpFuzz/AFL++ harness fuzz/Mtls.Fuzz (this file is linked into both).
/// </summary>
public static class FuzzTargets
{
    /// <summary>The password the key and PKCS#12 seeds are encrypted with.</summary>
    public const string Password = "fuzz-password";

    private static readonly X509Certificate2 Anchor = TestAnchor();
    // Lazy: under SharpFuzz, instrumented Mtls.Pki code may run only once Fuzzer.Run has attached AFL's
    // shared memory, so the table's static initialisation must not call into Mtls.Pki.
    private static readonly Lazy<PathValidator> LazyValidator = new(() => new PathValidator([Anchor.RawData]));
    private static PathValidator Validator => LazyValidator.Value;
    private static readonly Lazy<CertificateAuthority> LazyCa = new(() =>
        CertificateAuthority.CreateRoot(DistinguishedName.Parse("/O=Kame/CN=Fuzz CA"), KeySpec.P256, 3650, Now.AddDays(-1)));
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddYears(56);

    // PBKDF2 iteration caps well above what `mtls cert p12` writes (2000), far below the platform's
    // defaults: a mutated iteration count would otherwise turn an execution into seconds of hashing.
    private static readonly Pkcs12LoaderLimits P12Limits = new() { IndividualKdfIterationLimit = 20_000, TotalKdfIterationLimit = 100_000 };

    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["pem"] = bytes => InputFile.ParseBlocks(bytes, "fuzz", "anything"),
        ["cert"] = Certificate,
        ["csr"] = SigningRequest,
        ["key"] = bytes => PrivateKeyFile.Parse(bytes, "fuzz", Password).Dispose(),
        ["crl"] = RevocationList,
        ["der-cert"] = bytes => Total(() => Validator.Verify(bytes, [bytes], new VerifyOptions { Crls = [bytes] })),
        ["p12"] = Pkcs12,
        ["dn"] = Name,
        ["san"] = bytes => SubjectAlternativeName.Parse(Encoding.UTF8.GetString(bytes)),
    };

    /// <summary>
    /// Runs <paramref name="reader"/> on <paramref name="input"/> under the contract: returns when the
    /// reader accepted the input or refused it with <see cref="MtlsException"/>; any other exception
    /// propagates (a finding: the harness lets it crash the process so AFL records the input).
    /// </summary>
    public static void Run(Action<byte[]> reader, byte[] input)
    {
        try { reader(input); }
        catch (MtlsException) { }
    }

    /// <summary>What `mtls cert show` and the server do with a certificate file: load, describe, name, verify.</summary>
    private static void Certificate(byte[] bytes)
    {
        foreach (var cert in CertificateFile.ParseAll(bytes, "fuzz"))
            using (cert)
                Describe(cert);
    }

    private static void Describe(X509Certificate2 cert)
    {
        _ = CertificateDescription.From(cert, Now);
        _ = DistinguishedName.Format(cert.SubjectName);
        _ = DistinguishedName.Format(cert.IssuerName);
        _ = ChainVerifier.NamesOf(cert);
        Total(() => Validator.Verify(cert));
    }

    /// <summary>
    /// What `mtls csr show` and `mtls ca sign` do with a CSR. Its signature only proves the sender holds
    /// the key, and a hostile sender signs whatever it sends: so the content behind the signature is
    /// fuzzed too (loaded without the signature check), described and signed by a CA with a profile.
    /// </summary>
    private static void SigningRequest(byte[] bytes)
    {
        Run(b => CsrDescription.From(CsrFile.Parse(b, "fuzz")), bytes);
        if (bytes.Length == 0 || bytes[0] != 0x30)
            return;
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequest(bytes, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException or NotSupportedException)
        {
            return; // refused by the platform's parser, as CsrFile.Parse refuses it (with MtlsException)
        }
        _ = CsrDescription.From(request);
        foreach (var profile in CertificateProfile.Signable)
            Run(_ => LazyCa.Value.Issue(request, profile, 10, [], Now).Certificate.Dispose(), bytes);
    }

    /// <summary>What `mtls crl show [--ca-cert]`, `mtls verify --crl` and `mtls serve --crl` do with a CRL file.</summary>
    private static void RevocationList(byte[] bytes)
    {
        var crl = CrlFile.Parse(bytes, "fuzz");
        _ = DistinguishedName.Format(crl.Issuer);
        foreach (var entry in crl.Entries)
            _ = entry.Reason is { } reason ? RevocationReasons.Name(reason) : entry.Serial;
        _ = crl.IsSignedBy(Anchor);
        crl.Validate(Anchor, Now);
    }

    /// <summary>
    /// The project writes PKCS#12 (`mtls cert p12`) and reads none of its own, so two paths take one:
    /// a .p12 given where the project expects PEM/DER (a user's mistake: must be refused with
    /// MtlsException), and the bundle read back with the platform loader, as the server does with its own
    /// PKCS#12 (ServerTls) and as a consumer of `mtls cert p12` output would, its certificates then
    /// described like `mtls cert show` does. The loader's documented refusal is CryptographicException.
    /// </summary>
    private static void Pkcs12(byte[] bytes)
    {
        Run(b => CertificateFile.ParseAll(b, "fuzz.p12"), bytes);
        Run(b => PrivateKeyFile.Parse(b, "fuzz.p12", Password).Dispose(), bytes);
        X509Certificate2Collection loaded;
        try { loaded = X509CertificateLoader.LoadPkcs12Collection(bytes, Password, X509KeyStorageFlags.EphemeralKeySet, P12Limits); }
        catch (CryptographicException) { return; }
        foreach (var cert in loaded)
            using (cert)
                Describe(cert);
    }

    /// <summary>A subject string as typed by a user (--subject), and the same bytes as a DER name.</summary>
    private static void Name(byte[] bytes)
    {
        Run(b => DistinguishedName.Format(DistinguishedName.Parse(Encoding.UTF8.GetString(b))), bytes);
        X500DistinguishedName der;
        try { der = new X500DistinguishedName(bytes); }
        catch (CryptographicException) { return; } // the platform refuses it: never reaches our code
        _ = DistinguishedName.Format(der);
        _ = DistinguishedName.CommonName(der);
    }

    /// <summary>A reader that reports problems as values: even MtlsException from it is a bug.</summary>
    private static void Total<T>(Func<T> reader)
    {
        try { _ = reader(); }
        catch (MtlsException e) { throw new InvalidOperationException("a reader that reports problems as values threw MtlsException: " + e.Message, e); }
    }

    private static X509Certificate2 TestAnchor()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Fuzz Anchor", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UnixEpoch.AddYears(50), DateTimeOffset.UnixEpoch.AddYears(60));
        return X509CertificateLoader.LoadCertificate(cert.RawData);
    }
}
