using Microsoft.AspNetCore.Http;

namespace Mtls.Server;

/// <summary>
/// What answers a request once the client-certificate gate let it through (<see cref="RequestPipeline"/>):
/// `mtls serve`'s hello answer when there is none, mtls proxy's forwarding otherwise. It writes the
/// answer and its log line.
/// </summary>
internal interface IRequestApplication
{
    Task AnswerAsync(HttpContext context, ConnectionFacts connection);
}
