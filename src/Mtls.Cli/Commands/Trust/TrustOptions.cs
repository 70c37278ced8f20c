using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TrustText = Mtls.Cli.Resources.Trust;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;
using Mtls.Pki.Text;
using Mtls.TrustStore;

namespace Mtls.Cli.Commands.Trust;

/// <summary>The flags the trust commands share, and how they turn into stores, a CA and a client identity.</summary>
internal static class TrustOptions
{
    public static Argument<string?> CaFile() => new("CA.crt") { Description = TrustText.Arg_CaFile, Arity = ArgumentArity.ZeroOrOne };

    public static Option<string?> Store() => new("--store") { Description = TrustText.Opt_Store };

    public static Option<string?> Client() => new("--client") { Description = TrustText.Opt_Client };

    public static Option<string?> Cert() => new("--cert") { Description = TrustText.Opt_ClientCert };

    public static Option<string?> Key() => new("--key") { Description = TrustText.Opt_ClientKey };

    /// <summary>The kinds named by --store ("system,nss,java"); all kinds when it is not given.</summary>
    public static (StoreKinds Kinds, bool Explicit) ParseStores(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return (StoreKinds.All, false);
        var kinds = StoreKinds.None;
        foreach (var word in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            kinds |= word.ToLowerInvariant() switch
            {
                "system" => StoreKinds.System,
                "nss" => StoreKinds.Nss,
                "java" => StoreKinds.Java,
                "all" => StoreKinds.All,
                _ => throw new MtlsException(Language.Format(TrustText.Error_UnknownStore, word)),
            };
        return (kinds, true);
    }

    /// <summary>The home folder whose browser databases are meant: HOME (so a test or a user can point elsewhere).</summary>
    public static string Home(CliContext ctx) =>
        ctx.Env("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>
    /// The stores to touch: those of the kinds asked for that exist. A kind named explicitly that does not
    /// exist here is an error that says how to get it; with the default (every kind) it is left out.
    /// </summary>
    public static TrustStores Find(CliContext ctx, StoreKinds kinds, bool explicitKinds, bool create, Action<TrustChange>? report)
    {
        var home = Home(ctx);
        var stores = TrustStores.Find(kinds, home);
        var willCreate = create && report is not null && kinds.HasFlag(StoreKinds.Nss) && !NssStore.ExistsAt(NssDatabases.Chromium(home));
        if (kinds.HasFlag(StoreKinds.Nss) && stores.Nss.Count == 0 && !willCreate)
        {
            if (explicitKinds || kinds == StoreKinds.Nss)
            {
                ExternalTool.Require("certutil");
                throw MtlsException.Refused(Language.Format(TrustText.Error_NoNssDatabase, home));
            }
            else if (report is not null)
                CliApp.Warning(ctx, Language.Format(TrustText.Warning_NoNssDatabase, home));
        }
        if (explicitKinds && kinds.HasFlag(StoreKinds.System) && stores.System is null)
            throw MtlsException.Refused(TrustText.Error_NoSystemStore);
        if (explicitKinds && kinds.HasFlag(StoreKinds.Java) && stores.Java is null)
            ExternalTool.Require("keytool");
        if (stores.Nss.Count > 0 || willCreate) ExternalTool.Require("certutil");
        if (stores.All.Count == 0 && !willCreate)
            throw MtlsException.Refused(TrustText.Error_NoStore);
        if (willCreate)
        {
            RequireChangeable(stores.All); // before the first change: a refusal leaves nothing behind
            stores = stores.WithChromiumDatabase(home, report!);
        }
        return stores;
    }

    /// <summary>Refuses before any change when a store needs root (one line naming every such store).</summary>
    public static void RequireChangeable(IEnumerable<ITrustStore> stores)
    {
        var locked = stores.Where(s => !s.CanChange).Select(s => $"{s.Name} ({s.Location})").ToList();
        if (locked.Count > 0)
            throw MtlsException.Refused(Language.Format(TrustText.Error_NeedsRoot, string.Join(", ", locked)));
    }

    public static TrustedCa LoadCa(string path)
    {
        var certificate = CertificateFile.Load(path);
        var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
        // Trusting a leaf as an anchor is never what was meant (and NSS would take it): ask for the CA.
        if (!isCa) throw new MtlsException(Language.Format(TrustText.Error_NotACa, path, DistinguishedName.Format(certificate.SubjectName)));
        return new TrustedCa(certificate);
    }

    /// <summary>
    /// The client identity from --client FILE.p12 (with --password-file or MTLS_PASSWORD) or --cert/--key;
    /// with <paramref name="needKey"/> false (uninstall) the certificate alone will do.
    /// </summary>
    public static ClientIdentity LoadIdentity(CliContext ctx, string? p12, string? cert, string? key, string? passwordFile, bool needKey)
    {
        var password = CommonOptions.ReadPassword(passwordFile, ctx);
        if (p12 is not null)
        {
            if (cert is not null || key is not null) throw new MtlsException(TrustText.Error_ClientTwice);
            X509Certificate2Collection all;
            try
            {
                all = X509CertificateLoader.LoadPkcs12CollectionFromFile(p12, password, X509KeyStorageFlags.Exportable);
            }
            catch (CryptographicException e)
            {
                throw new MtlsException(Language.Format(TrustText.Error_P12Unreadable, p12, e.Message), ExitCode.BadInput, e);
            }
            catch (FileNotFoundException e)
            {
                throw new MtlsException(Language.Format(TrustText.Error_P12Unreadable, p12, e.Message), ExitCode.BadInput, e);
            }
            var leaf = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw new MtlsException(Language.Format(TrustText.Error_NoPrivateKey, p12));
            return new ClientIdentity(leaf);
        }
        if (cert is null) throw new MtlsException(TrustText.Error_ClientNeeded);
        if (key is null)
        {
            if (needKey) throw new MtlsException(TrustText.Error_ClientNeedsKey);
            return new ClientIdentity(CertificateFile.Load(cert));
        }
        return new ClientIdentity(CertificateFile.LoadWithKey(cert, key, password).Leaf);
    }

    /// <summary>Prints one change as it happens (the line is flushed: a slow keytool shows progress).</summary>
    public static Action<TrustChange> Reporter(CliContext ctx) => change =>
    {
        var format = change.Kind switch
        {
            TrustChangeKind.Added => TrustText.Change_Added,
            TrustChangeKind.Removed => TrustText.Change_Removed,
            TrustChangeKind.AlreadyPresent => TrustText.Change_AlreadyPresent,
            TrustChangeKind.NotPresent => TrustText.Change_NotPresent,
            TrustChangeKind.Refreshed => TrustText.Change_Refreshed,
            _ => TrustText.Change_Created,
        };
        ctx.Out.WriteLine(Language.Format(format, change.Store, change.Location, change.Item));
        ctx.Out.Flush();
    };
}
