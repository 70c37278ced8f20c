using System.Security.Cryptography;
using System.Text;
using Mtls.Pki.Text;

namespace Mtls.Pki.IO;

/// <summary>One PEM block or a DER blob read from a file, with the file name kept for error messages.</summary>
public sealed record PemBlock(string Label, byte[] Data);

/// <summary>
/// Reads PKI input files: PEM (one or more blocks) or raw DER. Every failure is a user-facing error
/// naming the file.
/// </summary>
public static class InputFile
{
    /// <summary>Largest input accepted; certificates, keys and CSRs are a few KB.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    public static byte[] ReadBytes(string path)
    {
        if (Directory.Exists(path))
            throw new MtlsException(Catalogue.Text("File_IsDirectory", path));
        if (!File.Exists(path))
            throw new MtlsException(Catalogue.Text("File_NotFound", path));
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxBytes)
                throw new MtlsException(Catalogue.Text("File_TooLarge", path, length));
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0)
                throw new MtlsException(Catalogue.Text("File_Empty", path));
            return bytes;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new MtlsException(Catalogue.Text("File_PermissionDenied", path), ExitCode.BadInput, e);
        }
        catch (IOException e)
        {
            throw new MtlsException(Catalogue.Text("File_Unreadable", path, e.Message), ExitCode.BadInput, e);
        }
    }

    /// <summary>
    /// Returns the file's PEM blocks, or one block labelled <c>null</c> holding the raw bytes when the
    /// file is DER. <paramref name="what"/> names the expected content for messages ("a certificate").
    /// </summary>
    public static IReadOnlyList<PemBlock> ReadBlocks(string path, string what) => ParseBlocks(ReadBytes(path), path, what);

    public static IReadOnlyList<PemBlock> ParseBlocks(byte[] bytes, string source, string what)
    {
        if (bytes.Length > 0 && bytes[0] == 0x30)
            return [new PemBlock("", bytes)]; // DER: an ASN.1 SEQUENCE

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new MtlsException(Catalogue.Text("File_NeitherPemNorDer", source, what));
        }

        var blocks = new List<PemBlock>();
        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            var data = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], data, out var written))
                throw new MtlsException(Catalogue.Text("File_CorruptBase64", source, label));
            blocks.Add(new PemBlock(label, data[..written]));
            rest = rest[fields.Location.End..];
        }
        if (blocks.Count > 0)
            return blocks;
        if (text.Contains("-----BEGIN ", StringComparison.Ordinal))
        {
            if (text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
                throw new MtlsException(Catalogue.Text("File_LegacyEncryptedKey", source));
            throw new MtlsException(Catalogue.Text("File_CorruptPem", source));
        }
        throw new MtlsException(Catalogue.Text("File_NotPem", source, what));
    }

    /// <summary>Reads a password from a file: the first line, without its line ending.</summary>
    public static string ReadPassword(string path)
    {
        var text = Encoding.UTF8.GetString(ReadBytes(path));
        var end = text.IndexOfAny(['\r', '\n']);
        var password = end < 0 ? text : text[..end];
        if (password.Length == 0)
            throw new MtlsException(Catalogue.Text("File_PasswordLineEmpty", path));
        return password;
    }
}
