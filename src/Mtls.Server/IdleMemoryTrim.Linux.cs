using System.Runtime.InteropServices;

namespace Mtls.Server;

// The platform half of IdleMemoryTrim, kept apart from the portable timer and GC logic: only Linux with
// glibc has a native heap to give back this way; elsewhere TrimNativeHeap does nothing.
internal sealed partial class IdleMemoryTrim
{
    /// <summary>glibc's malloc_trim, on Linux only.</summary>
    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { _ = MallocTrim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // not glibc (musl has none): nothing to trim
    }

    // glibc: returns the free memory at the top of every arena and madvise(DONTNEED)s free pages inside them.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
