using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Names;

namespace Mtls.Pki.Tests;

/// <summary>Names from hostile certificates: Format never throws and never passes on invisible characters.</summary>
public class DistinguishedNameHostileTests
{
    [Theory]
    [InlineData("evil\u202Egnp.exe", "CN=evil\\E2\\80\\AEgnp.exe")]   // right-to-left override
    [InlineData("a\u200Bb", "CN=a\\E2\\80\\8Bb")]                    // zero-width space
    [InlineData("bell\u0007", "CN=bell\\07")]
    [InlineData("nel\u0085", "CN=nel\\C2\\85")]                       // C1 control, as its UTF-8 bytes
    [InlineData("<script>", "CN=\\<script\\>")]
    public void Invisible_and_control_characters_are_escaped_as_utf8_bytes(string cn, string expected)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(cn);
        Assert.Equal(expected, DistinguishedName.Format(builder.Build()));
    }

    [Fact]
    public void A_multi_valued_rdn_is_joined_with_plus()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSetOf())
        {
            foreach (var (oid, value) in new[] { ("2.5.4.3", "a"), ("2.5.4.11", "b") })
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                }
        }
        var formatted = DistinguishedName.Format(new X500DistinguishedName(writer.Encode()));
        Assert.Contains("CN=a", formatted);
        Assert.Contains("OU=b", formatted);
        Assert.Contains("+", formatted);
        Assert.Null(DistinguishedName.CommonName(new X500DistinguishedName(writer.Encode())));
    }

    [Fact]
    public void An_unparsable_name_is_shown_as_hex_instead_of_throwing() =>
        Assert.Equal("#3003020100", DistinguishedName.Format(new X500DistinguishedName(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 })));
}
