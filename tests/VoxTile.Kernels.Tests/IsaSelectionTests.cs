using VoxTile.IR;
using VoxTile.Kernels.Tests.Support;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests;

/// <summary>
/// VOXTILE_ISA forces one kernel variant for the process, so every ISA a machine has can be measured on it (the
/// bench prints which one ran); a name that is not a variant, or one this CPU lacks, is one line naming what it has.
/// </summary>
public sealed class IsaSelectionTests
{
    [Fact]
    public void EverySupportedVariantIsNamedBothWays()
    {
        foreach (var isa in KernelLibrary.Isas.Where(KernelLibrary.Supports))
        {
            var name = KernelLibrary.IsaName(isa);
            Assert.Equal(isa, KernelLibrary.ParseIsa(name));
            Assert.Equal(isa, KernelLibrary.ParseIsa(name.Replace("_", "").ToUpperInvariant()));
        }
        Assert.True(KernelLibrary.Supports(VtIsa.Portable));
    }

    [Fact]
    public void UnknownAndMissingVariantsAreOneLine()
    {
        var e = Assert.Throws<VoxTileException>(() => KernelLibrary.ParseIsa("sse9"));
        Assert.Contains("VOXTILE_ISA=sse9 names no kernel variant", e.Message);
        Assert.Contains("avx512_bf16, avx512, avx2, portable", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        foreach (var isa in KernelLibrary.Isas.Where(i => !KernelLibrary.Supports(i)))
        {
            var missing = Assert.Throws<VoxTileException>(() => KernelLibrary.ParseIsa(KernelLibrary.IsaName(isa)));
            Assert.Contains($"this CPU lacks the {KernelLibrary.IsaName(isa)} kernels", missing.Message);
        }
    }

    [Fact]
    public void TheVariableForcesTheVariantAtInitialization()
    {
        var before = Environment.GetEnvironmentVariable(KernelLibrary.IsaVariable);
        KernelSetup.Ensure();
        var wasIsa = VtNative.GetIsa();
        try
        {
            Environment.SetEnvironmentVariable(KernelLibrary.IsaVariable, "portable");
            KernelLibrary.Initialize(0);
            Assert.Equal((VtIsa.Portable, true), KernelLibrary.CurrentIsa);
            Environment.SetEnvironmentVariable(KernelLibrary.IsaVariable, "not-an-isa");
            Assert.Throws<VoxTileException>(() => KernelLibrary.Initialize(0));
        }
        finally
        {
            Environment.SetEnvironmentVariable(KernelLibrary.IsaVariable, before);
            KernelLibrary.UseIsa(wasIsa);
        }
        Assert.False(KernelLibrary.CurrentIsa.Forced && before is null);
    }
}
