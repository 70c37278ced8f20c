using System.Text;
using Mtls.Pki.Text;

namespace Mtls.Pki.IO;

/// <summary>
/// Writes files the way a PKI tool must: atomically (temporary file in the same folder, then rename),
/// never over an existing file unless forced, never through a symbolic link unless forced, and with
/// private material readable by the owner only whatever the umask.
/// </summary>
public static class SecureFile
{
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Fails with a user-facing error when <paramref name="path"/> may not be written.</summary>
    public static void EnsureWritable(string path, bool force)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && !force)
            throw new MtlsException(Catalogue.Text("Write_SymbolicLink", path, info.LinkTarget)) { Kind = MtlsErrorKind.OutputIsSymbolicLink };
        if (info.Exists && !force)
            throw new MtlsException(Catalogue.Text("Write_Exists", path)) { Kind = MtlsErrorKind.OutputExists };
        if (Directory.Exists(path))
            throw new MtlsException(Catalogue.Text("Write_IsDirectory", path));
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir))
            throw new MtlsException(Catalogue.Text("Write_NoFolder", path, dir));
    }

    public static void WriteText(string path, string text, bool isPrivate, bool force) =>
        Write(path, Encoding.ASCII.GetBytes(text), isPrivate, force);

    public static void Write(string path, ReadOnlySpan<byte> content, bool isPrivate, bool force)
    {
        EnsureWritable(path, force);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = isPrivate ? PrivateMode : PublicMode;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            // The create mode is masked by the umask; set it explicitly so keys are 0600 and certificates 0644.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, isPrivate ? PrivateMode : PublicMode);
            if (force && new FileInfo(full).LinkTarget is not null)
                File.Delete(full); // replace the link itself, never its target
            File.Move(temp, full, overwrite: force);
        }
        catch (IOException e) when (!force && File.Exists(full))
        {
            throw new MtlsException(Catalogue.Text("Write_Exists", path), ExitCode.BadInput, e) { Kind = MtlsErrorKind.OutputExists };
        }
        catch (UnauthorizedAccessException e)
        {
            throw new MtlsException(Catalogue.Text("Write_PermissionDenied", path), ExitCode.BadInput, e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
