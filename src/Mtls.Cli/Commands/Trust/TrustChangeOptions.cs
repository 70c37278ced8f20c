using System.CommandLine;
using TrustText = Mtls.Cli.Resources.Trust;
using Mtls.Pki;
using Mtls.TrustStore;

namespace Mtls.Cli.Commands.Trust;

/// <summary>
/// The flags install and uninstall share, and the one way they pick what to change: a client identity
/// (--client or --cert, NSS databases only) or a CA (the stores --store names). Install adds --create and
/// --key; uninstall needs the certificate alone and never creates a database.
/// </summary>
internal sealed class TrustChangeOptions
{
    private readonly Argument<string?> caFile = TrustOptions.CaFile();
    private readonly Option<string?> store = TrustOptions.Store();
    private readonly Option<bool>? create;
    private readonly Option<string?> client = TrustOptions.Client();
    private readonly Option<string?> cert = TrustOptions.Cert();
    private readonly Option<string?>? key;
    private readonly Option<string?> password = CommonOptions.PasswordFile(TrustText.Opt_ClientPassword);

    public TrustChangeOptions(bool install)
    {
        if (!install) return;
        create = new Option<bool>("--create") { Description = TrustText.Opt_Create };
        key = TrustOptions.Key();
    }

    private bool Installing => key is not null;

    /// <summary>The command with these flags, in the order help lists them.</summary>
    public Command Command(string name, string help)
    {
        var command = new Command(name, help) { caFile, store };
        if (create is not null) command.Add(create);
        command.Add(client);
        command.Add(cert);
        if (key is not null) command.Add(key);
        command.Add(password);
        return command;
    }

    /// <summary>
    /// Reads the flags, loads the CA or the identity and finds the stores; refuses before any change when a
    /// flag contradicts another or a store needs root. Install may create Chromium's database (--create),
    /// reporting it.
    /// </summary>
    public TrustTarget Resolve(ParseResult parse, CliContext ctx, Action<TrustChange> report)
    {
        var (kinds, explicitKinds) = TrustOptions.ParseStores(parse.GetValue(store));
        var doCreate = create is not null && parse.GetValue(create);
        // Only install warns about a missing NSS database and creates one: uninstall has nothing to do there.
        var findReport = Installing ? report : null;
        var p12 = parse.GetValue(client);
        var certPath = parse.GetValue(cert);
        if (p12 is not null || certPath is not null)
        {
            if (parse.GetValue(caFile) is not null) throw new MtlsException(TrustText.Error_CaAndClient);
            if (explicitKinds && kinds != StoreKinds.Nss) throw new MtlsException(TrustText.Error_ClientNssOnly);
            var identity = TrustOptions.LoadIdentity(ctx, p12, certPath, key is null ? null : parse.GetValue(key), parse.GetValue(password), needKey: Installing);
            var nss = TrustOptions.Find(ctx, StoreKinds.Nss, explicitKinds: true, doCreate, findReport).Nss;
            TrustOptions.RequireChangeable(nss);
            // Uninstall finds the identity by its certificate: the same file again, with the password a PKCS#12 needs.
            string[] source = p12 is null ? ["--cert", certPath!]
                : parse.GetValue(password) is { } passwordFile ? ["--client", p12, "--password-file", passwordFile] : ["--client", p12];
            return new TrustTarget(source, identity, nss, null, []);
        }
        var path = parse.GetValue(caFile) ?? throw new MtlsException(TrustText.Error_CaNeeded);
        var ca = TrustOptions.LoadCa(path);
        var stores = TrustOptions.Find(ctx, kinds, explicitKinds, doCreate, findReport).All;
        TrustOptions.RequireChangeable(stores);
        return new TrustTarget([path], null, [], ca, stores);
    }
}
