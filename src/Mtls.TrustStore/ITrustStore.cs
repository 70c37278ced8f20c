namespace Mtls.TrustStore;

/// <summary>
/// One place a CA can be trusted: the system store, one NSS database, Java's cacerts. Every change is
/// reported as it happens through <c>report</c>; what <c>mtls</c> added is found again by the name it
/// derived from the CA (<see cref="TrustedCa"/>), so uninstall and list touch nothing else.
/// </summary>
public interface ITrustStore
{
    /// <summary>"system", "nss" or "java" (the --store words).</summary>
    string Name { get; }

    /// <summary>Where: a folder, a database, a keystore file.</summary>
    string Location { get; }

    /// <summary>False when this process may not change the store (not root): checked for every store before any change.</summary>
    bool CanChange { get; }

    void Install(TrustedCa ca, Action<TrustChange> report);

    void Uninstall(TrustedCa ca, Action<TrustChange> report);

    bool Contains(TrustedCa ca);

    /// <summary>What mtls installed here (names it derived), nothing else.</summary>
    IReadOnlyList<TrustEntry> List();
}
