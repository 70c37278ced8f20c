using Mtls.Ca.Acme;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>The ACME store contract on <see cref="InMemoryAcmeStore"/> (one process: its "nodes" are one instance).</summary>
[Trait("Category", "Acme")]
public sealed class InMemoryAcmeStoreContractTests : AcmeStoreContract
{
    private readonly InMemoryAcmeStore _store;

    public InMemoryAcmeStoreContractTests() => _store = new InMemoryAcmeStore { Time = Clock };

    protected override IAcmeStore Node() => _store;
}
