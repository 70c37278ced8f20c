namespace Mtls.Cli.Output;

/// <summary>Columns a string takes in a terminal: CJK characters take two, so Japanese labels and tables line up.</summary>
internal static class DisplayWidth
{
    public static int Of(string s) => s.Sum(c => c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)) ? 2 : 1);

    /// <summary><paramref name="s"/> padded with spaces to <paramref name="width"/> columns.</summary>
    public static string Pad(string s, int width) => s + new string(' ', Math.Max(0, width - Of(s)));
}
