using Microsoft.AspNetCore.Http;

namespace Mtls.Ca.Acme;

internal sealed partial class AcmeService
{
    /// <summary>The authorization (RFC 8555 7.5): read, or deactivate with {"status":"deactivated"} (7.5.2).</summary>
    public Task Authorization(HttpContext http) => Post(http, AcmeKeyRule.Kid, async (acme, request) =>
    {
        var authorization = await OwnedAuthorization(request, RouteId(http), http.RequestAborted);
        if (!request.IsPostAsGet)
        {
            var update = Payload(request, AcmeJsonContext.Default.AccountUpdateRequest);
            if (update.Status != AcmeStatus.Deactivated || authorization.Status is not (AcmeStatus.Pending or AcmeStatus.Valid))
                throw Errors.Malformed(nameof(Resources.Acme.Problem_BadStatusChange), update.Status ?? "");
            var deactivated = authorization with { Status = AcmeStatus.Deactivated };
            if (!await Store.UpdateAuthorizationAsync(authorization, deactivated, http.RequestAborted))
                throw Errors.Malformed(nameof(Resources.Acme.Problem_Conflict));
            authorization = deactivated;
        }
        if (authorization.Status == AcmeStatus.Pending) RetryAfter(http);
        await WriteJson(http, 200, AuthorizationDocumentOf(acme, authorization), AcmeJsonContext.Default.AuthorizationDocument);
    });

    /// <summary>
    /// A challenge (RFC 8555 7.5.1): POST-as-GET reads it; a POST of {} asks the server to validate it,
    /// which happens in the background while the client polls the authorization.
    /// </summary>
    public Task Challenge(HttpContext http) => Post(http, AcmeKeyRule.Kid, async (acme, request) =>
    {
        var authorization = await OwnedAuthorization(request, RouteId(http), http.RequestAborted);
        var type = RouteId(http, "type");
        var challenge = authorization.Challenges.FirstOrDefault(c => c.Type == type) ?? throw Errors.NotFound("challenge");
        if (!request.IsPostAsGet && challenge.Status == AcmeStatus.Pending && authorization.Status == AcmeStatus.Pending)
        {
            if (authorization.Expires <= acme.Now)
                throw Errors.Malformed(nameof(Resources.Acme.Problem_Expired));
            var started = authorization with { Challenges = Replace(authorization.Challenges, challenge with { Status = AcmeStatus.Processing }) };
            if (await Store.UpdateAuthorizationAsync(authorization, started, http.RequestAborted))
            {
                authorization = started;
                challenge = started.Challenges.First(c => c.Type == type);
                var keyAuthorization = challenge.Token + "." + request.Key.Thumbprint;
                _ = Task.Run(() => ValidateInBackground(started, type, keyAuthorization));
            }
            else
            {
                authorization = await Store.FindAuthorizationAsync(authorization.Id, http.RequestAborted) ?? authorization;
                challenge = authorization.Challenges.First(c => c.Type == type);
            }
        }
        http.Response.Headers.Append("Link", $"<{acme.Url("authz/" + authorization.Id)}>;rel=\"up\"");
        if (challenge.Status == AcmeStatus.Processing) RetryAfter(http);
        await WriteJson(http, 200, ChallengeDocumentOf(acme, authorization, challenge), AcmeJsonContext.Default.ChallengeDocument);
    });

    /// <summary>Validates, then records the outcome on the challenge and its authorization (valid or invalid, never retried).</summary>
    private async Task ValidateInBackground(AcmeAuthorization started, string type, string keyAuthorization)
    {
        var challenge = started.Challenges.First(c => c.Type == type);
        AcmeProblem? problem;
        try
        {
            problem = await Validator.ValidateAsync(type, started.Identifier.Value, challenge.Token, keyAuthorization, CancellationToken.None);
        }
        catch (Exception e) // the validator maps expected failures; anything else must still end the challenge
        {
            problem = Errors.Challenge("serverInternal", nameof(Resources.Acme.Challenge_Internal), e.GetType().Name, e.Message);
        }
        var now = Time.GetUtcNow();
        var outcome = problem is null
            ? challenge with { Status = AcmeStatus.Valid, Validated = now }
            : challenge with { Status = AcmeStatus.Invalid, Error = problem };
        // Nobody awaits this task: a store that fails (a database restarting) must not leave the challenge
        // "processing" for ever with the client polling it, so the outcome is retried for a while, then said.
        var current = started;
        Exception? failure = null;
        for (var attempt = 0; attempt < RecordAttempts; attempt++)
        {
            try
            {
                var finished = current with
                {
                    Status = problem is null ? AcmeStatus.Valid : AcmeStatus.Invalid,
                    Challenges = Replace(current.Challenges, outcome),
                };
                if (await Store.UpdateAuthorizationAsync(current, finished, CancellationToken.None)) return;
                // Changed meanwhile (deactivated): leave it as the client made it.
                if (await Store.FindAuthorizationAsync(started.Id, CancellationToken.None) is not { Status: AcmeStatus.Pending } reread) return;
                current = reread;
            }
            catch (Exception e)
            {
                failure = e;
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), CancellationToken.None);
            }
        }
        Options.Log(AcmeText.Format(nameof(Resources.Acme.Log_OutcomeNotRecorded), Options.Culture, type, started.Id,
            failure?.Message ?? "-"));
    }

    /// <summary>How many times a challenge's outcome is offered to the store before the service gives up and says so.</summary>
    private const int RecordAttempts = 10;

    /// <summary>
    /// When to poll again (RFC 8555 8.2): a challenge is decided within a second or two here, and clients
    /// otherwise wait their own default (lego 5 s, certbot 3 s) before looking.
    /// </summary>
    private static void RetryAfter(HttpContext http) => http.Response.Headers.RetryAfter = "1";

    private async Task<AcmeAuthorization> OwnedAuthorization(AcmeRequest request, string id, CancellationToken cancellationToken)
    {
        var authorization = await Store.FindAuthorizationAsync(id, cancellationToken) ?? throw Errors.NotFound("authorization");
        return authorization.AccountId == request.SigningAccount.Id ? authorization : throw Errors.Unauthorized(nameof(Resources.Acme.Problem_NotYours));
    }

    private static List<AcmeChallenge> Replace(IReadOnlyList<AcmeChallenge> challenges, AcmeChallenge updated) =>
        challenges.Select(c => c.Type == updated.Type ? updated : c).ToList();

    private static AuthorizationDocument AuthorizationDocumentOf(AcmeContext acme, AcmeAuthorization a) => new(
        new IdentifierDocument(a.Identifier.Type, a.Identifier.Value), a.Status, Rfc3339(a.Expires),
        a.Challenges.Select(c => ChallengeDocumentOf(acme, a, c)).ToList());

    private static ChallengeDocument ChallengeDocumentOf(AcmeContext acme, AcmeAuthorization a, AcmeChallenge c) => new(
        c.Type, acme.Url($"chall/{a.Id}/{c.Type}"), c.Token, c.Status, c.Validated is { } v ? Rfc3339(v) : null, Document(c.Error));
}
