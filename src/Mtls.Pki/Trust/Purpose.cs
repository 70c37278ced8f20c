namespace Mtls.Pki.Trust;

/// <summary>What a certificate is being verified for (its extendedKeyUsage must allow it).</summary>
public enum Purpose { Any, Server, Client }
