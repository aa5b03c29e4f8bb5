using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using VoxTile.BindGen;
using VoxTile.Kernels.Tests.Support;
using VoxTile.Runtime.Native;

namespace VoxTile.Kernels.Tests;

/// <summary>The native boundary: statuses become exceptions with the native message, the generated bindings are
/// current and all resolve, and the C tests pass (so `dotnet test` covers them too).</summary>
public sealed unsafe class NativeContractTests
{
    public NativeContractTests() => KernelSetup.Ensure();

    private static string Root => Generator.FindRepositoryRoot(AppContext.BaseDirectory);

    [Fact]
    public void AFailedCallThrowsWithTheNativeMessage()
    {
        using var x = NTensor.Empty([1, 8, 4], VtDtype.F32);
        using var y = NTensor.Empty([1, 8, 5], VtDtype.F32);
        var e = Assert.Throws<KernelException>(() => VtNative.Typecast(x.Ptr, y.Ptr).ThrowIfFailed());
        Assert.Equal(VtStatus.InvalidArgument, e.Status);
        Assert.Equal("typecast: shapes differ (f32[1,8,4] vs f32[1,8,5])", e.Message);
    }

    [Fact]
    public void WeightsAreASafeHandle()
    {
        using var w = NTensor.Of(new float[6 * 4 * 3], 6, 4, 3);
        var h = WeightsHandle.Create(*w.Ptr, 2, VtDtype.Bf16);
        var info = h.Info;
        Assert.Equal((6, 4, 2, 1, 3, VtDtype.Bf16), (info.OutChannels, info.InChannelsPerGroup, info.Groups, info.KernelH, info.KernelW, info.Math));
        h.Dispose();
        Assert.True(h.IsClosed);
        var e = Assert.Throws<KernelException>(() => WeightsHandle.Create(*w.Ptr, 4, VtDtype.Bf16));
        Assert.Contains("6 output channels do not split into 4 groups", e.Message);
    }

    [Fact]
    public void TheBestVariantIsSelectedAndNamed()
    {
        Assert.Contains(VtIsa.Portable, KernelSetup.Isas);
        // The best the CPU has, unless VOXTILE_ISA forced another for this process (then that one).
        var forced = Environment.GetEnvironmentVariable(KernelLibrary.IsaVariable) is { Length: > 0 } name ? KernelLibrary.ParseIsa(name) : (VtIsa?)null;
        Assert.Equal(forced ?? KernelSetup.Isas[^1], VtNative.GetIsa());
        Assert.Equal("portable", KernelLibrary.IsaName(VtIsa.Portable));
        Assert.Equal(2, VtNative.ThreadCount());
    }

    [Fact]
    public void CheckedInBindingsMatchTheHeader()
    {
        var problem = Generator.Check(Root);
        Assert.True(problem is null, problem);
    }

    [Fact]
    public void EveryBindingResolvesInTheLibrary()
    {
        var imports = typeof(VtNative).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LibraryImportAttribute>()).OfType<LibraryImportAttribute>().ToList();
        Assert.True(imports.Count > 30, $"{imports.Count} entry points");
        var lib = KernelLibrary.Handle();
        Assert.All(imports, i => Assert.True(NativeLibrary.TryGetExport(lib, i.EntryPoint!, out _), $"{i.EntryPoint} is not exported"));
    }
}

/// <summary>The C tests (kernels/tests, ctest) run as part of `dotnet test`.</summary>
public sealed class CTests
{
    private static string Root => Generator.FindRepositoryRoot(AppContext.BaseDirectory);

    [Fact]
    public async Task TheCTestsPass()
    {
        var build = Path.Combine(Root, "runtime", "obj", "kernels");
        Assert.True(File.Exists(Path.Combine(build, "CTestTestfile.cmake")), $"no kernel build in {build}: build runtime/VoxTile.Runtime.csproj");
        var psi = new ProcessStartInfo("ctest", ["--test-dir", build, "--output-on-failure", "--timeout", "300"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"ctest failed:\n{await stdout}\n{await stderr}");
    }
}
