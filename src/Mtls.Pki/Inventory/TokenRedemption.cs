namespace Mtls.Pki.Inventory;

/// <summary>What became of an attempt to use a token: used now, or why not.</summary>
public enum TokenRedemption { Redeemed, Unknown, AlreadyUsed, Expired }
