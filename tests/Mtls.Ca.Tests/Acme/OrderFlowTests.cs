using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Mtls.Pki.Certificates;

namespace Mtls.Ca.Tests.Acme;

/// <summary>
/// An order through http-01 to the certificate with the test client, where certbot and lego never go:
/// finalize too early, a CSR whose names differ from the order's, another account's resources, a wrong
/// key authorization.
/// </summary>
[Trait("Category", "Acme")]
public sealed class OrderFlowTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private Http01Responder _responder = null!;
    private AcmeTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _responder = await Http01Responder.StartAsync();
        _server = await AcmeTestServer.StartAsync(_dir.Path, _responder.Port, tlsPort: 1, TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _responder.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Finalize_RefusesEarly_AndACsrWithOtherNames_ThenIssuesExactlyTheOrdersName()
    {
        using var client = new AcmeTestClient(_server);
        await client.RegisterAsync();
        var order = await client.PostAsync(await client.Url("newOrder"), JwsTests.Order(AcmeTestServer.Name));
        Assert.Equal(201, order.Status);
        var finalize = (string)order.Json["finalize"]!;
        using var certKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var early = await client.PostAsync(finalize, Csr(certKey, AcmeTestServer.Name));
        Assert.Equal((403, "orderNotReady"), (early.Status, early.ProblemType));

        await ValidateHttp01(client, (string)order.Json["authorizations"]![0]!, answer: token => client.KeyAuthorization(token));
        var ready = await client.PostAsync(order.Location!, null);
        Assert.Equal("ready", (string?)ready.Json["status"]);

        var extra = await client.PostAsync(finalize, Csr(certKey, AcmeTestServer.Name, "other.example.test"));
        Assert.Equal((400, "badCSR"), (extra.Status, extra.ProblemType));
        Assert.Contains("other.example.test", (string?)extra.Json["detail"], StringComparison.Ordinal);
        var missing = await client.PostAsync(finalize, Csr(certKey, "other.example.test"));
        Assert.Equal((400, "badCSR"), (missing.Status, missing.ProblemType));
        var accountKey = await client.PostAsync(finalize, Csr(client.Key, AcmeTestServer.Name));
        Assert.Equal((400, "badCSR"), (accountKey.Status, accountKey.ProblemType));

        var done = await client.PostAsync(finalize, Csr(certKey, AcmeTestServer.Name));
        Assert.Equal(200, done.Status);
        Assert.Equal("valid", (string?)done.Json["status"]);
        var certificate = await client.PostAsync((string)done.Json["certificate"]!, null);
        Assert.Equal(("application/pem-certificate-chain", 200), (certificate.ContentType, certificate.Status));
        var certs = new X509Certificate2Collection();
        certs.ImportFromPem(certificate.Body);
        Assert.Equal(2, certs.Count);
        Assert.Equal(_server.Issuing.Thumbprint, certs[1].Thumbprint);
        Assert.Equal([AcmeTestServer.Name], certs[0].Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToArray());
        Assert.NotNull(_server.Inventory.Find(Pki.Inventory.InventoryRecord.SerialOf(certs[0])));

        using var stranger = new AcmeTestClient(_server);
        await stranger.RegisterAsync();
        var stolen = await stranger.PostAsync((string)done.Json["certificate"]!, null);
        Assert.Equal((403, "unauthorized"), (stolen.Status, stolen.ProblemType));
        var peek = await stranger.PostAsync(order.Location!, null);
        Assert.Equal((403, "unauthorized"), (peek.Status, peek.ProblemType));

        // revokeCert: not by a stranger, not for reason 7; by the certificate's own key (jwk), once.
        var revokeUrl = await client.Url("revokeCert");
        var leaf = new JsonObject { ["certificate"] = AcmeTestClient.B64(certs[0].RawData) };
        var byStranger = await stranger.PostAsync(revokeUrl, leaf.DeepClone());
        Assert.Equal((403, "unauthorized"), (byStranger.Status, byStranger.ProblemType));
        var reason7 = await client.PostAsync(revokeUrl, new JsonObject { ["certificate"] = AcmeTestClient.B64(certs[0].RawData), ["reason"] = 7 });
        Assert.Equal((400, "badRevocationReason"), (reason7.Status, reason7.ProblemType));
        Assert.Null(_server.Inventory.Find(Pki.Inventory.InventoryRecord.SerialOf(certs[0]))!.RevokedAt);
        var byKey = await client.PostAsync(revokeUrl, new JsonObject { ["certificate"] = AcmeTestClient.B64(certs[0].RawData), ["reason"] = 1 },
            new JwsTweak { ForceJwk = true }, signWith: certKey);
        Assert.Equal(200, byKey.Status);
        var record = _server.Inventory.Find(Pki.Inventory.InventoryRecord.SerialOf(certs[0]))!;
        Assert.Equal(X509RevocationReason.KeyCompromise, record.RevocationReason);
        var again = await client.PostAsync(revokeUrl, leaf.DeepClone());
        Assert.Equal((400, "alreadyRevoked"), (again.Status, again.ProblemType));
    }

    [Fact]
    public async Task AWrongKeyAuthorization_MakesTheChallengeAndTheOrderInvalid()
    {
        using var client = new AcmeTestClient(_server);
        await client.RegisterAsync();
        var order = await client.PostAsync(await client.Url("newOrder"), JwsTests.Order(AcmeTestServer.Name));
        var authz = await ValidateHttp01(client, (string)order.Json["authorizations"]![0]!, answer: token => token + ".not-my-thumbprint");
        Assert.Equal("invalid", (string?)authz["status"]);
        var challenge = authz["challenges"]!.AsArray().Single(c => (string?)c!["type"] == "http-01")!;
        Assert.Equal("urn:ietf:params:acme:error:incorrectResponse", (string?)challenge["error"]!["type"]);
        var after = await client.PostAsync(order.Location!, null);
        Assert.Equal("invalid", (string?)after.Json["status"]);
    }

    /// <summary>Puts the answer in place, asks for http-01 validation, and polls the authorization until it is decided.</summary>
    private async Task<JsonNode> ValidateHttp01(AcmeTestClient client, string authzUrl, Func<string, string> answer)
    {
        var authz = await client.PostAsync(authzUrl, null);
        var challenge = authz.Json["challenges"]!.AsArray().Single(c => (string?)c!["type"] == "http-01")!;
        var token = (string)challenge["token"]!;
        _responder.Answers[token] = answer(token);
        var started = await client.PostAsync((string)challenge["url"]!, new JsonObject());
        Assert.Equal(200, started.Status);
        for (var i = 0; i < 200; i++)
        {
            var polled = await client.PostAsync(authzUrl, null);
            if ((string?)polled.Json["status"] != "pending") return polled.Json;
            await Task.Delay(25);
        }
        throw new TimeoutException("the authorization stayed pending for 5 s");
    }

    private static JsonObject Csr(AsymmetricAlgorithm key, params string[] names)
    {
        var request = CsrFile.Create(key, new X500DistinguishedName(""), names.Select(n => new Pki.Names.SubjectAlternativeName(Pki.Names.SanKind.Dns, n)).ToList());
        return new JsonObject { ["csr"] = AcmeTestClient.B64(request.CreateSigningRequest()) };
    }
}
