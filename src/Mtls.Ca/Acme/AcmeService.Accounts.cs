using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mtls.Ca.Acme;

internal sealed partial class AcmeService
{
    /// <summary>newAccount (RFC 8555 7.3): the key's account if it has one (200), else a new one (201); onlyReturnExisting never creates.</summary>
    public Task NewAccount(HttpContext http) => Post(http, AcmeKeyRule.Jwk, async (acme, request) =>
    {
        var payload = Payload(request, AcmeJsonContext.Default.NewAccountRequest);
        var existing = await Store.FindAccountByKeyAsync(request.Key.Thumbprint, http.RequestAborted);
        if (existing is not null)
        {
            if (existing.Status != AcmeStatus.Valid)
                throw Errors.Unauthorized(nameof(Resources.Acme.Problem_AccountNotValid), existing.Status);
            await WriteAccount(http, acme, existing, 200);
            return;
        }
        if (payload.OnlyReturnExisting == true)
            throw Errors.AccountDoesNotExist();
        var contact = CheckContacts(payload.Contact);
        var fresh = new AcmeAccount(NewId(), request.Key.Thumbprint, request.Key.CanonicalJson, contact, AcmeStatus.Valid, acme.Now);
        var account = await Store.AddAccountAsync(fresh, http.RequestAborted);
        await WriteAccount(http, acme, account, ReferenceEquals(account, fresh) ? 201 : 200);
    });

    /// <summary>The account resource (RFC 8555 7.3.2, 7.3.6): read, update contacts, deactivate.</summary>
    public Task Account(HttpContext http) => Post(http, AcmeKeyRule.Kid, async (acme, request) =>
    {
        var account = Owned(request, RouteId(http));
        if (!request.IsPostAsGet)
        {
            var update = Payload(request, AcmeJsonContext.Default.AccountUpdateRequest);
            var updated = account;
            if (update.Contact is not null) updated = updated with { Contact = CheckContacts(update.Contact) };
            if (update.Status is not null)
            {
                if (update.Status != AcmeStatus.Deactivated)
                    throw Errors.Malformed(nameof(Resources.Acme.Problem_BadStatusChange), update.Status);
                updated = updated with { Status = AcmeStatus.Deactivated };
            }
            if (!await Store.UpdateAccountAsync(account, updated, http.RequestAborted))
                throw Errors.Malformed(nameof(Resources.Acme.Problem_Conflict));
            account = updated;
        }
        await WriteAccount(http, acme, account, 200);
    });

    /// <summary>The account's orders list (RFC 8555 7.1.2.1).</summary>
    public Task AccountOrders(HttpContext http) => Post(http, AcmeKeyRule.Kid, async (acme, request) =>
    {
        var account = Owned(request, RouteId(http));
        var ids = await Store.OrderIdsAsync(account.Id, http.RequestAborted);
        await WriteJson(http, 200, new OrderListDocument(ids.Select(id => acme.Url("order/" + id)).ToList()), AcmeJsonContext.Default.OrderListDocument);
    });

    /// <summary>
    /// keyChange (RFC 8555 7.3.5): the outer JWS signed by the account's key, its payload an inner JWS
    /// signed by the new key (jwk, same url, no nonce) saying which account and which old key.
    /// </summary>
    public Task KeyChange(HttpContext http) => Post(http, AcmeKeyRule.Kid, async (acme, request) =>
    {
        var account = request.SigningAccount;
        var (innerProtected, innerPayload, innerSignature) = AcmeJws.Parts(request.Payload, Errors);
        if (!JoseBase64.TryDecode(innerProtected, out var headerBytes) || !JoseBase64.TryDecode(innerPayload, out var payloadBytes)
            || !JoseBase64.TryDecode(innerSignature, out var signature))
            throw Errors.Malformed(nameof(Resources.Acme.Problem_NotBase64Url));
        using var header = AcmeJws.ParseObject(headerBytes, Errors);
        var h = header.RootElement;
        var alg = AcmeJws.StringMember(h, "alg") ?? "";
        if (!h.TryGetProperty("jwk", out var jwk) || h.TryGetProperty("kid", out _) || h.TryGetProperty("nonce", out _)
            || AcmeJws.StringMember(h, "url") != request.Url)
            throw Errors.Malformed(nameof(Resources.Acme.Problem_KeyChangeInner));
        using var newKey = AcmeKey.Read(jwk, out var problem) ?? throw Errors.Malformed(problem);
        if (!AcmeJws.Algorithms.Contains(alg) || !newKey.Allows(alg))
            throw Errors.BadSignatureAlgorithm(alg);
        if (!newKey.Verify(alg, Encoding.ASCII.GetBytes(innerProtected + "." + innerPayload), signature))
            throw Errors.Malformed(nameof(Resources.Acme.Problem_BadSignature));
        using var inner = AcmeJws.ParseObject(payloadBytes, Errors);
        var accountUrl = AcmeJws.StringMember(inner.RootElement, "account");
        if (accountUrl != acme.Url("acct/" + account.Id) || !inner.RootElement.TryGetProperty("oldKey", out var oldJwk))
            throw Errors.Malformed(nameof(Resources.Acme.Problem_KeyChangeInner));
        using (var oldKey = AcmeKey.Read(oldJwk, out _))
            if (oldKey?.Thumbprint != account.KeyThumbprint)
                throw Errors.Unauthorized(nameof(Resources.Acme.Problem_KeyChangeOldKey));
        if (await Store.FindAccountByKeyAsync(newKey.Thumbprint, http.RequestAborted) is { } holder)
        {
            http.Response.Headers.Location = acme.Url("acct/" + holder.Id);
            throw new AcmeException(AcmeProblem.Of("malformed", 409, Errors.Text(nameof(Resources.Acme.Problem_KeyInUse))));
        }
        var updated = account with { KeyThumbprint = newKey.Thumbprint, JwkJson = newKey.CanonicalJson };
        if (!await Store.UpdateAccountAsync(account, updated, http.RequestAborted))
            throw Errors.Malformed(nameof(Resources.Acme.Problem_Conflict));
        await WriteAccount(http, acme, updated, 200);
    });

    private AcmeAccount Owned(AcmeRequest request, string id) =>
        request.SigningAccount.Id == id ? request.SigningAccount : throw Errors.Unauthorized(nameof(Resources.Acme.Problem_NotYours));

    private static string RouteId(HttpContext http, string name = "id") => http.Request.RouteValues[name] as string ?? "";

    private IReadOnlyList<string> CheckContacts(IReadOnlyList<string>? contact)
    {
        foreach (var c in contact ?? [])
            if (!c.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || c.Length < 10 || c.Contains(',', StringComparison.Ordinal))
                throw new AcmeException(AcmeProblem.Of(c.Contains(':', StringComparison.Ordinal) && !c.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
                    ? "unsupportedContact" : "invalidContact", 400, Errors.Text(nameof(Resources.Acme.Problem_Contact), c)));
        return contact ?? [];
    }

    private static Task WriteAccount(HttpContext http, AcmeContext acme, AcmeAccount account, int status) =>
        WriteJson(http, status, new AccountDocument(account.Status, account.Contact, acme.Url($"acct/{account.Id}/orders")),
            AcmeJsonContext.Default.AccountDocument, acme.Url("acct/" + account.Id));
}
