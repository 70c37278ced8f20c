using System.Runtime.InteropServices;

namespace Mtls.TrustStore;

/// <summary>Whether this process runs as root (the system store and Java's cacerts are root's to change).</summary>
public static class Privileges
{
#pragma warning disable SYSLIB1054 // DllImport: LibraryImport would need unsafe blocks in this project
    [DllImport("libc", EntryPoint = "geteuid")] private static extern uint GetEffectiveUserId();
#pragma warning restore SYSLIB1054

    public static bool IsRoot => GetEffectiveUserId() == 0;

    /// <summary>True when this process may change the file (opened for writing, nothing written).</summary>
    public static bool CanWrite(string path)
    {
        if (IsRoot) return true;
        try
        {
            using var _ = new FileStream(path, FileMode.Open, FileAccess.Write);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
