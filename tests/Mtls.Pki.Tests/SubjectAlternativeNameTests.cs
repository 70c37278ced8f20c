using Mtls.Pki;
using Mtls.Pki.Names;

namespace Mtls.Pki.Tests;

public class SubjectAlternativeNameTests
{
    [Theory]
    [InlineData("DNS:localhost", SanKind.Dns, "localhost")]
    [InlineData("localhost", SanKind.Dns, "localhost")]
    [InlineData("IP:127.0.0.1", SanKind.Ip, "127.0.0.1")]
    [InlineData("::1", SanKind.Ip, "::1")]
    [InlineData("10.0.0.5", SanKind.Ip, "10.0.0.5")]
    [InlineData("DNS:*.Example.COM", SanKind.Dns, "*.example.com")]
    [InlineData("URI:spiffe://example.org/svc", SanKind.Uri, "spiffe://example.org/svc")]
    [InlineData("EMAIL:ops@example.com", SanKind.Email, "ops@example.com")]
    public void Parses_and_classifies(string input, SanKind kind, string value)
    {
        var san = SubjectAlternativeName.Parse(input);
        Assert.Equal(kind, san.Kind);
        Assert.Equal(value, san.Value);
    }

    [Theory]
    [InlineData("DNS:bad host")]
    [InlineData("IP:999.1.1.1")]
    [InlineData("URI:not a uri")]
    [InlineData("EMAIL:nobody")]
    [InlineData("DNS:-x.example")]
    public void Refuses_malformed_names(string input) =>
        Assert.Throws<MtlsException>(() => SubjectAlternativeName.Parse(input));

    [Fact]
    public void Extension_round_trips_through_the_decoder()
    {
        SubjectAlternativeName[] names = [new(SanKind.Dns, "localhost"), new(SanKind.Ip, "127.0.0.1"), new(SanKind.Ip, "::1"),
            new(SanKind.Uri, "spiffe://example.org/svc"), new(SanKind.Email, "a@example.com")];
        var decoded = SubjectAlternativeName.Decode(SubjectAlternativeName.BuildExtension(names).RawData, out var other);
        Assert.Equal(names, decoded);
        Assert.Equal(0, other);
    }

    [Theory]
    [InlineData("localhost", "DNS:localhost")]
    [InlineData("127.0.0.1", "IP:127.0.0.1")]
    [InlineData("Super Client", null)]
    [InlineData(null, null)]
    public void A_host_like_common_name_becomes_a_san(string? cn, string? expected) =>
        Assert.Equal(expected, SubjectAlternativeName.FromHostLike(cn)?.ToString());
}
