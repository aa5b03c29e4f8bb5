using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests.Support;

/// <summary>Starts the native library once (2 threads, as the target machine) and lists the ISA variants this CPU runs.</summary>
public static class KernelSetup
{
    private static readonly Lazy<VtIsa[]> Started = new(() =>
    {
        KernelLibrary.Initialize(2);
        return [.. Enum.GetValues<VtIsa>().Where(i => i != VtIsa.Best && KernelLibrary.Supports(i))];
    });

    /// <summary>Every supported variant, portable first.</summary>
    public static VtIsa[] Isas => Started.Value;

    public static void Ensure() => _ = Started.Value;

    /// <summary>
    /// Runs <paramref name="body"/> once per variant and leaves selected the one that was (the best, or the one
    /// VOXTILE_ISA forced for this process).
    /// </summary>
    public static void ForEachIsa(Action<VtIsa> body)
    {
        Ensure();
        var was = VtNative.GetIsa();
        try
        {
            foreach (var isa in Isas)
            {
                KernelLibrary.UseIsa(isa);
                body(isa);
            }
        }
        finally { KernelLibrary.UseIsa(was); }
    }

    /// <summary>What <paramref name="body"/> gives with <paramref name="isa"/> selected; the variant selected before is selected again after.</summary>
    public static T With<T>(VtIsa isa, Func<T> body)
    {
        Ensure();
        var was = VtNative.GetIsa();
        KernelLibrary.UseIsa(isa);
        try { return body(); }
        finally { KernelLibrary.UseIsa(was); }
    }
}
