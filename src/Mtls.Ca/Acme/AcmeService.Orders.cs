using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;

namespace Mtls.Ca.Acme;

internal sealed partial class AcmeService
{
    private const int MaxIdentifiers = 100;

    /// <summary>newOrder (RFC 8555 7.4): DNS names only, no wildcards (neither challenge offered can prove one).</summary>
    public Task NewOrder(HttpContext http) => Post(http, AcmeKeyRule.Kid, async (acme, request) =>
    {
        var payload = Payload(request, AcmeJsonContext.Default.NewOrderRequest);
        if (payload.NotBefore is not null || payload.NotAfter is not null)
            throw Errors.Malformed(nameof(Resources.Acme.Problem_NoValidityChoice));
        if (payload.Identifiers is not { Count: > 0 and <= MaxIdentifiers } requested)
            throw Errors.Malformed(nameof(Resources.Acme.Problem_Identifiers), MaxIdentifiers);
        var identifiers = new List<AcmeIdentifier>();
        foreach (var i in requested)
        {
            if (i is null || i.Type != "dns") throw Errors.UnsupportedIdentifier(i?.Type ?? "");
            var value = (i.Value ?? "").ToLowerInvariant();
            if (value.StartsWith("*.", StringComparison.Ordinal))
                throw Errors.RejectedIdentifier(nameof(Resources.Acme.Problem_Wildcard), value);
            if (value.EndsWith('.'))
                throw Errors.RejectedIdentifier(nameof(Resources.Acme.Problem_TrailingDot), value);
            if (SubjectAlternativeName.Problem(new SubjectAlternativeName(SanKind.Dns, value)) is { } problem)
                throw Errors.RejectedIdentifier(nameof(Resources.Acme.Problem_BadName), value, problem.ToString());
            if (!identifiers.Any(x => x.Value == value)) identifiers.Add(new AcmeIdentifier("dns", value));
        }
        var account = request.SigningAccount;
        var expires = acme.Now + Options.OrderLifetime;
        var authorizations = identifiers.Select(i => new AcmeAuthorization(NewId(), account.Id, i, AcmeStatus.Pending, expires,
            ChallengeTypes.All.Select(t => new AcmeChallenge(t, NewId(), AcmeStatus.Pending)).ToList())).ToList();
        var order = new AcmeOrder(NewId(), account.Id, AcmeStatus.Pending, expires, identifiers, authorizations.Select(a => a.Id).ToList());
        await Store.AddOrderAsync(order, authorizations, http.RequestAborted);
        await WriteJson(http, 201, OrderDocumentOf(acme, order), AcmeJsonContext.Default.OrderDocument, acme.Url("order/" + order.Id));
    });

    public Task Order(HttpContext http) => Post(http, AcmeKeyRule.Kid, async (acme, request) =>
    {
        var order = await RefreshedOrder(request, RouteId(http), http.RequestAborted);
        await WriteJson(http, 200, OrderDocumentOf(acme, order), AcmeJsonContext.Default.OrderDocument);
    });

    /// <summary>
    /// finalize (RFC 8555 7.4): the order must be ready; the CSR's names (SANs, and a CN if any) must be
    /// exactly the order's identifiers. Issues synchronously, so the answer is the order, valid.
    /// </summary>
    public Task Finalize(HttpContext http) => Post(http, AcmeKeyRule.Kid, async (acme, request) =>
    {
        var order = await RefreshedOrder(request, RouteId(http), http.RequestAborted);
        if (order.Status != AcmeStatus.Ready)
            throw Errors.OrderNotReady(order.Status);
        var payload = Payload(request, AcmeJsonContext.Default.FinalizeRequest);
        if (!JoseBase64.TryDecode(payload.Csr, out var der) || der.Length == 0)
            throw Errors.BadCsr(nameof(Resources.Acme.Problem_CsrNotBase64Url));
        CheckCsr(der, order.Identifiers, request.Key);

        var processing = order with { Status = AcmeStatus.Processing };
        if (!await Store.UpdateOrderAsync(order, processing, http.RequestAborted))
            throw Errors.OrderNotReady(AcmeStatus.Processing);
        string pem;
        try
        {
            pem = await Issuer.IssueAsync(der, order.Identifiers, http.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The order must not stay "processing" for ever: it fails with the reason.
            var refusal = e is MtlsException m ? FromIssuer(m) : Errors.ServerInternal(nameof(Resources.Acme.Problem_Internal), e.GetType().Name, e.Message);
            await Store.UpdateOrderAsync(processing, processing with { Status = AcmeStatus.Invalid, Error = refusal.Problem }, CancellationToken.None);
            throw refusal;
        }
        var certificate = new AcmeCertificate(NewId(), order.AccountId, pem, LeafSha256(pem));
        await Store.AddCertificateAsync(certificate, CancellationToken.None);
        var valid = processing with { Status = AcmeStatus.Valid, CertificateId = certificate.Id };
        await Store.UpdateOrderAsync(processing, valid, CancellationToken.None);
        await WriteJson(http, 200, OrderDocumentOf(acme, valid), AcmeJsonContext.Default.OrderDocument, acme.Url("order/" + order.Id));
    });

    /// <summary>The certificate chain (RFC 8555 7.4.2), for the account that ordered it.</summary>
    public Task Certificate(HttpContext http) => Post(http, AcmeKeyRule.Kid, async (acme, request) =>
    {
        var certificate = await Store.FindCertificateAsync(RouteId(http), http.RequestAborted) ?? throw Errors.NotFound("certificate");
        if (certificate.AccountId != request.SigningAccount.Id)
            throw Errors.Unauthorized(nameof(Resources.Acme.Problem_NotYours));
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/pem-certificate-chain";
        await http.Response.WriteAsync(certificate.PemChain, Encoding.ASCII, http.RequestAborted);
    });

    /// <summary>
    /// The CSR against the order (RFC 8555 7.4): a valid signature, a key that is neither weak nor the
    /// account's, and DNS names (SANs plus a CN if present) equal to the identifiers as a set.
    /// </summary>
    internal void CheckCsr(byte[] der, IReadOnlyList<AcmeIdentifier> identifiers, AcmeKey accountKey)
    {
        CertificateRequest csr;
        IReadOnlyList<SubjectAlternativeName> sans;
        try
        {
            csr = CsrFile.Parse(der, "CSR");
            sans = CsrFile.RequestedNames(csr);
        }
        catch (MtlsException e)
        {
            throw Errors.BadCsr(nameof(Resources.Acme.Problem_CsrRefused), e.Message);
        }
        using (var rsa = csr.PublicKey.GetRSAPublicKey())
            if (rsa is not null && rsa.KeySize < 2048)
                throw Errors.BadCsr(nameof(Resources.Acme.Problem_CsrWeakKey), rsa.KeySize);
        if (accountKey.SameAs(csr.PublicKey))
            throw Errors.BadCsr(nameof(Resources.Acme.Problem_CsrAccountKey));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var san in sans)
        {
            if (san.Kind != SanKind.Dns)
                throw Errors.BadCsr(nameof(Resources.Acme.Problem_CsrNames), san, string.Join(", ", identifiers.Select(i => i.Value)));
            names.Add(san.Value.ToLowerInvariant());
        }
        if (Pki.Names.DistinguishedName.CommonName(csr.SubjectName) is { Length: > 0 } cn) names.Add(cn.ToLowerInvariant());
        var wanted = new SortedSet<string>(identifiers.Select(i => i.Value), StringComparer.Ordinal);
        if (!names.SetEquals(wanted))
            throw Errors.BadCsr(nameof(Resources.Acme.Problem_CsrNames),
                names.Count == 0 ? "-" : string.Join(", ", names), string.Join(", ", wanted));
    }

    private static string LeafSha256(string pem)
    {
        using var leaf = X509Certificate2.CreateFromPem(pem);
        return Convert.ToHexString(leaf.GetCertHash(HashAlgorithmName.SHA256));
    }

    private async Task<AcmeOrder> OwnedOrder(AcmeRequest request, string id, CancellationToken cancellationToken)
    {
        var order = await Store.FindOrderAsync(id, cancellationToken) ?? throw Errors.NotFound("order");
        return order.AccountId == request.SigningAccount.Id ? order : throw Errors.Unauthorized(nameof(Resources.Acme.Problem_NotYours));
    }

    /// <summary>The order with its status brought up to date from its authorizations (RFC 8555 7.1.6).</summary>
    private async Task<AcmeOrder> RefreshedOrder(AcmeRequest request, string id, CancellationToken cancellationToken)
    {
        var order = await OwnedOrder(request, id, cancellationToken);
        if (order.Status is not (AcmeStatus.Pending or AcmeStatus.Ready)) return order;
        string status;
        AcmeProblem? error = null;
        if (order.Expires <= Time.GetUtcNow())
        {
            status = AcmeStatus.Invalid;
        }
        else
        {
            var authorizations = new List<AcmeAuthorization>();
            foreach (var authzId in order.AuthorizationIds)
                authorizations.Add(await Store.FindAuthorizationAsync(authzId, cancellationToken) ?? throw Errors.NotFound("authorization"));
            var failed = authorizations.FirstOrDefault(a => a.Status is not (AcmeStatus.Pending or AcmeStatus.Valid));
            status = failed is not null ? AcmeStatus.Invalid
                : authorizations.All(a => a.Status == AcmeStatus.Valid) ? AcmeStatus.Ready : AcmeStatus.Pending;
            error = failed?.Challenges.Select(c => c.Error).FirstOrDefault(e => e is not null);
        }
        if (status == order.Status) return order;
        var updated = order with { Status = status, Error = error };
        return await Store.UpdateOrderAsync(order, updated, cancellationToken) ? updated
            : await Store.FindOrderAsync(id, cancellationToken) ?? updated;
    }

    private static OrderDocument OrderDocumentOf(AcmeContext acme, AcmeOrder order) => new(
        order.Status, Rfc3339(order.Expires),
        order.Identifiers.Select(i => new IdentifierDocument(i.Type, i.Value)).ToList(),
        order.AuthorizationIds.Select(id => acme.Url("authz/" + id)).ToList(),
        acme.Url($"order/{order.Id}/finalize"),
        order.CertificateId is null ? null : acme.Url("cert/" + order.CertificateId),
        Document(order.Error));
}
