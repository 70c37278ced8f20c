namespace Mtls.Ca.Acme;

/// <summary>An identifier an order asks for (RFC 8555 7.1.3); only "dns" is offered.</summary>
public sealed record AcmeIdentifier(string Type, string Value);
