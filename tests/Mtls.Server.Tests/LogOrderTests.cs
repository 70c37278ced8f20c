using System.Net.Security;

namespace Mtls.Server.Tests;

/// <summary>
/// A request's line is logged before its answer goes out. Otherwise a client that has its answer can
/// send its next request, and that request's line (a refusal's, say) can be logged first: the log would
/// not be in the order of the events. The sink holds the request's line until the client says it has
/// the answer (or 300 ms pass): with the line logged first, the answer cannot have arrived.
/// </summary>
public sealed class LogOrderTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    [Fact]
    public async Task A_requests_line_is_logged_before_its_answer_reaches_the_client()
    {
        var answered = 0; // how many answers the client has read
        var answeredBeforeLogged = new List<string>();
        await using var server = await MtlsServer.StartAsync(new MtlsServerOptions
        {
            Certificate = pki.Server,
            ClientCas = [pki.ClientCa.Certificate],
            Port = 0,
            Log = entry =>
            {
                if (entry.Kind != ServerLogKind.Request) return;
                var number = int.Parse(entry.Message.Split(' ')[1].TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture);
                if (SpinWait.SpinUntil(() => Volatile.Read(ref answered) > number, TimeSpan.FromMilliseconds(300)))
                    lock (answeredBeforeLogged) answeredBeforeLogged.Add(entry.Message);
            },
        });
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => pki.Client,
            },
        });

        for (var i = 0; i < 3; i++)
        {
            var response = await client.GetAsync($"https://localhost:{server.Port}/{i}");
            Assert.Equal(200, (int)response.StatusCode);
            Interlocked.Increment(ref answered);
        }

        Assert.Empty(answeredBeforeLogged);
    }
}
