namespace Mtls.Cli.Tests.Postgres;

/// <summary>The tests that share one throwaway PostgreSQL (<see cref="PostgresServer"/>), started once per run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Postgres";
}
