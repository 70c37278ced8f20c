namespace Mtls.TrustStore;

/// <summary>The stores of the kinds asked for that exist on this machine, under this home folder.</summary>
public sealed class TrustStores
{
    private TrustStores(SystemStore? system, IReadOnlyList<NssStore> nss, JavaStore? java)
    {
        System = system;
        Nss = nss;
        Java = java;
    }

    public SystemStore? System { get; }

    public IReadOnlyList<NssStore> Nss { get; }

    public JavaStore? Java { get; }

    public IReadOnlyList<ITrustStore> All =>
        [.. new ITrustStore?[] { System }.OfType<ITrustStore>(), .. Nss, .. new ITrustStore?[] { Java }.OfType<ITrustStore>()];

    public static TrustStores Find(StoreKinds kinds, string home) => new(
        kinds.HasFlag(StoreKinds.System) && SystemFlavor.Detect() is { } flavor ? new SystemStore(flavor) : null,
        kinds.HasFlag(StoreKinds.Nss) ? NssDatabases.Find(home) : [],
        kinds.HasFlag(StoreKinds.Java) ? JavaStore.Detect() : null);

    /// <summary>
    /// With Chromium's database created when it does not exist yet (--create): Chromium never makes it
    /// itself, even when Firefox's databases exist.
    /// </summary>
    public TrustStores WithChromiumDatabase(string home, Action<TrustChange> report) =>
        NssStore.ExistsAt(NssDatabases.Chromium(home)) ? this
            : new(System, [NssStore.Create(NssDatabases.Chromium(home), "chromium", report), .. Nss], Java);
}
