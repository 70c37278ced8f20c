using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Mtls.Ca.Tests.Acme;

/// <summary>JWS and nonce checks (RFC 8555 6.2-6.5) over real HTTPS requests to the ACME module, each request wrong in one way.</summary>
[Trait("Category", "Acme")]
public sealed class JwsTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private AcmeTestServer _server = null!;

    public async Task InitializeAsync() => _server = await AcmeTestServer.StartAsync(_dir.Path, httpPort: 1, tlsPort: 1);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("P-256")]
    [InlineData("P-384")]
    [InlineData("RSA")]
    public async Task NewAccount_CreatesOnce_ThenReturnsTheSameAccount(string keyKind)
    {
        using var client = new AcmeTestClient(_server, keyKind switch
        {
            "P-256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            "P-384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            _ => RSA.Create(2048),
        });
        var url = await client.Url("newAccount");
        var created = await client.PostAsync(url, new JsonObject { ["termsOfServiceAgreed"] = true });
        Assert.Equal(201, created.Status);
        Assert.Equal("valid", (string?)created.Json["status"]);
        Assert.StartsWith(_server.BaseUrl + "/acme/acct/", created.Location, StringComparison.Ordinal);
        Assert.NotNull(created.Nonce);

        var again = await client.PostAsync(url, new JsonObject { ["onlyReturnExisting"] = true });
        Assert.Equal(200, again.Status);
        Assert.Equal(created.Location, again.Location);
    }

    [Fact]
    public async Task OnlyReturnExisting_ForAnUnknownKey_IsAccountDoesNotExist()
    {
        using var client = new AcmeTestClient(_server);
        var reply = await client.PostAsync(await client.Url("newAccount"), new JsonObject { ["onlyReturnExisting"] = true });
        Assert.Equal((400, "accountDoesNotExist"), (reply.Status, reply.ProblemType));
        Assert.Equal("application/problem+json", reply.ContentType);
    }

    [Fact]
    public async Task BadSignature_IsMalformed_AndCreatesNothing()
    {
        using var client = new AcmeTestClient(_server);
        var url = await client.Url("newAccount");
        var reply = await client.PostAsync(url, new JsonObject(), new JwsTweak { BreakSignature = true });
        Assert.Equal((400, "malformed"), (reply.Status, reply.ProblemType));
        Assert.Contains("signature", (string?)reply.Json["detail"], StringComparison.Ordinal);
        var lookup = await client.PostAsync(url, new JsonObject { ["onlyReturnExisting"] = true });
        Assert.Equal("accountDoesNotExist", lookup.ProblemType);
    }

    [Theory]
    [InlineData("RS256")] // an EC key cannot sign RS256
    [InlineData("ES384")] // nor a P-256 key ES384
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("")]
    public async Task AnAlgorithmTheKeyCannotUse_IsBadSignatureAlgorithm_ListingTheAcceptedOnes(string alg)
    {
        using var client = new AcmeTestClient(_server);
        var reply = await client.PostAsync(await client.Url("newAccount"), new JsonObject(), new JwsTweak { Alg = alg });
        Assert.Equal((400, "badSignatureAlgorithm"), (reply.Status, reply.ProblemType));
        Assert.Equal(["ES256", "ES384", "RS256"], reply.Json["algorithms"]!.AsArray().Select(a => (string)a!).ToArray());
    }

    [Fact]
    public async Task ASignatureForAnotherUrl_IsUnauthorized()
    {
        using var client = new AcmeTestClient(_server);
        var reply = await client.PostAsync(await client.Url("newAccount"), new JsonObject(), new JwsTweak { Url = await client.Url("newOrder") });
        Assert.Equal((403, "unauthorized"), (reply.Status, reply.ProblemType));
    }

    [Fact]
    public async Task AReusedNonce_IsBadNonce_WithAFreshNonceThatWorks()
    {
        using var client = new AcmeTestClient(_server);
        var url = await client.Url("newAccount");
        var body = await client.SignAsync(url, new JsonObject());
        Assert.Equal(201, (await client.SendAsync(url, body)).Status);

        var replay = await client.SendAsync(url, body);
        Assert.Equal((400, "badNonce"), (replay.Status, replay.ProblemType));
        Assert.NotNull(replay.Nonce);
        var retried = await client.PostAsync(url, new JsonObject(), new JwsTweak { Nonce = replay.Nonce });
        Assert.Equal(200, retried.Status);
    }

    [Fact]
    public async Task AnInventedNonce_IsBadNonce()
    {
        using var client = new AcmeTestClient(_server);
        var reply = await client.PostAsync(await client.Url("newAccount"), new JsonObject(), new JwsTweak { Nonce = AcmeTestClient.B64(RandomNumberGenerator.GetBytes(16)) });
        Assert.Equal((400, "badNonce"), (reply.Status, reply.ProblemType));
    }

    [Fact]
    public async Task AnUnknownKid_IsAccountDoesNotExist_AndNewAccountByKid_IsMalformed()
    {
        using var client = new AcmeTestClient(_server) { Kid = _server.BaseUrl + "/acme/acct/nobody" };
        var order = await client.PostAsync(await client.Url("newOrder"), Order("a.example"));
        Assert.Equal((400, "accountDoesNotExist"), (order.Status, order.ProblemType));
        var account = await client.PostAsync(await client.Url("newAccount"), new JsonObject());
        Assert.Equal((400, "malformed"), (account.Status, account.ProblemType));
    }

    [Fact]
    public async Task AnotherMediaType_Is415()
    {
        using var client = new AcmeTestClient(_server);
        var reply = await client.PostAsync(await client.Url("newAccount"), new JsonObject(), new JwsTweak { ContentType = "application/json" });
        Assert.Equal((415, "malformed"), (reply.Status, reply.ProblemType));
    }

    [Theory]
    [InlineData("dns", "*.example.test", "rejectedIdentifier")]
    [InlineData("dns", "bad_name..example", "rejectedIdentifier")]
    [InlineData("ip", "127.0.0.1", "unsupportedIdentifier")]
    public async Task NewOrder_RefusesIdentifiersItCannotValidate(string type, string value, string problem)
    {
        using var client = new AcmeTestClient(_server);
        await client.RegisterAsync();
        var reply = await client.PostAsync(await client.Url("newOrder"),
            new JsonObject { ["identifiers"] = new JsonArray(new JsonObject { ["type"] = type, ["value"] = value }) });
        Assert.Equal((400, problem), (reply.Status, reply.ProblemType));
    }

    [Fact]
    public async Task KeyRollover_MovesTheAccountToTheNewKey()
    {
        using var client = new AcmeTestClient(_server);
        await client.RegisterAsync();
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var url = await client.Url("keyChange");
        var inner = AcmeTestClient.Jws(new JsonObject { ["alg"] = "ES256", ["jwk"] = AcmeTestClient.Jwk(newKey), ["url"] = url },
            new JsonObject { ["account"] = client.Kid, ["oldKey"] = AcmeTestClient.Jwk(client.Key) }.ToJsonString(), newKey);
        var changed = await client.PostAsync(url, inner);
        Assert.Equal(200, changed.Status);

        var oldKeySigned = await client.PostAsync(client.Kid!, null);
        Assert.Equal((400, "malformed"), (oldKeySigned.Status, oldKeySigned.ProblemType));
        var newKeySigned = await client.PostAsync(client.Kid!, null, signWith: newKey);
        Assert.Equal(200, newKeySigned.Status);
    }

    internal static JsonObject Order(params string[] names) =>
        new() { ["identifiers"] = new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["type"] = "dns", ["value"] = n }).ToArray()) };
}
