using System.Text.Json.Nodes;
using Mtls.Ca.Acme;

namespace Mtls.Ca.Tests.Acme;

/// <summary>
/// A challenge is validated in the background, where no request awaits the store's answer: a store that
/// fails while the outcome is recorded must not leave the challenge "processing" for ever (the client
/// would poll until it gives up). The outcome is retried; past the retries the service says so in its log.
/// </summary>
[Trait("Category", "Acme")]
public sealed class OutcomeRecordingTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private Http01Responder _responder = null!;

    public async Task InitializeAsync() => _responder = await Http01Responder.StartAsync();

    public async Task DisposeAsync()
    {
        await _responder.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_store_failing_twice_while_the_outcome_is_recorded_still_ends_valid()
    {
        var store = new OutcomeFailingStore(failures: 2);
        await using var server = await AcmeTestServer.StartAsync(_dir.Path, _responder.Port, tlsPort: 1, TimeSpan.FromSeconds(5), store);

        var status = await Validate(server);

        Assert.Equal("valid", status);
        Assert.Equal(3, store.Failed); // two failures, then the update that went through
        Assert.DoesNotContain(server.Log, l => l.Contains("could not be recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_that_keeps_failing_is_reported_in_the_log()
    {
        var store = new OutcomeFailingStore(failures: int.MaxValue);
        await using var server = await AcmeTestServer.StartAsync(_dir.Path, _responder.Port, tlsPort: 1, TimeSpan.FromSeconds(5), store);

        await Validate(server, pollFor: TimeSpan.FromSeconds(1));

        var deadline = DateTime.UtcNow.AddSeconds(30); // ten attempts, 0.2 s more after each
        while (!server.Log.Any(l => l.Contains("could not be recorded", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        var line = Assert.Single(server.Log, l => l.Contains("could not be recorded", StringComparison.Ordinal));
        Assert.Contains("the database is restarting", line, StringComparison.Ordinal);
        Assert.Contains("http-01", line, StringComparison.Ordinal);
    }

    /// <summary>An account, an order and its http-01 challenge answered right; the authorization's status once it leaves pending (or "pending").</summary>
    private async Task<string?> Validate(AcmeTestServer server, TimeSpan? pollFor = null)
    {
        using var client = new AcmeTestClient(server);
        await client.RegisterAsync();
        var order = await client.PostAsync(await client.Url("newOrder"), JwsTests.Order(AcmeTestServer.Name));
        Assert.Equal(201, order.Status);
        var authzUrl = (string)order.Json["authorizations"]![0]!;
        var authz = await client.PostAsync(authzUrl, null);
        var challenge = authz.Json["challenges"]!.AsArray().Single(c => (string?)c!["type"] == "http-01")!;
        var token = (string)challenge["token"]!;
        _responder.Answers[token] = client.KeyAuthorization(token);
        Assert.Equal(200, (await client.PostAsync((string)challenge["url"]!, new JsonObject())).Status);
        var until = DateTime.UtcNow + (pollFor ?? TimeSpan.FromSeconds(20));
        string? status;
        do
        {
            status = (string?)(await client.PostAsync(authzUrl, null)).Json["status"];
            if (status != AcmeStatus.Pending) return status;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < until);
        return status;
    }
}
