using System.Reflection;
using System.Runtime.InteropServices;
using Silk.NET.Core.Loader;

namespace VoxTile.Runtime.Native;

/// <summary>
/// Loads libvoxtile_kernels.so with Silk.NET's loader (the app folder, its runtimes/&lt;rid&gt;/native folders, then the
/// system) and points the generated [LibraryImport]s at it; <see cref="Initialize"/> starts the native thread pool.
/// VOXTILE_KERNELS may name the library file explicitly; VOXTILE_ISA=avx512_bf16|avx512|avx2|portable forces one kernel
/// variant for the process (every ISA measurable on one machine), refused when the CPU lacks it.
/// </summary>
public static class KernelLibrary
{
    public const string FileName = "libvoxtile_kernels.so";
    private static readonly Lock Gate = new();
    private static nint handle;
    private static string? loadError;
    private static int registered;

    /// <summary>Called by <see cref="VtNative"/>'s static constructor, so before any generated entry point binds.</summary>
    internal static void RegisterResolver()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(KernelLibrary).Assembly, Resolve);
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == VtNative.LibraryName ? Handle() : 0;

    /// <summary>The OS handle of the loaded library; throws <see cref="DllNotFoundException"/> with where it looked.</summary>
    public static nint Handle()
    {
        lock (Gate)
        {
            if (handle != 0) return handle;
            if (loadError is not null) throw new DllNotFoundException(loadError);
            var loader = LibraryLoader.GetPlatformDefaultLoader();
            var explicitPath = Environment.GetEnvironmentVariable("VOXTILE_KERNELS");
            if (!string.IsNullOrEmpty(explicitPath))
            {
                if (!loader.TryLoadNativeLibrary(explicitPath, out handle))
                    loadError = $"VOXTILE_KERNELS names {explicitPath}, which does not load";
            }
            else if (!loader.TryLoadNativeLibrary(FileName, PathResolver.Default, out handle))
            {
                loadError = $"{FileName} not found next to {AppContext.BaseDirectory} (nor in its runtimes/linux-x64/native): " +
                            "build runtime/VoxTile.Runtime.csproj, which builds the kernels with cmake";
            }
            if (handle == 0) throw new DllNotFoundException(loadError);
            return handle;
        }
    }

    /// <summary>
    /// Starts (or resizes) the native pool: <paramref name="threads"/> ≤ 0 means one per core. Checks that the library
    /// speaks this ABI version.
    /// </summary>
    public static void Initialize(int threads = 0)
    {
        var version = VtNative.AbiVersion();
        if (version != VtNativeConstants.AbiVersion)
            throw new KernelException(VtStatus.Unsupported,
                $"{FileName} has ABI version {version}, these bindings expect {VtNativeConstants.AbiVersion}");
        VtNative.Init(threads).ThrowIfFailed();
        if (Environment.GetEnvironmentVariable(IsaVariable) is { Length: > 0 } forced) UseIsa(ParseIsa(forced));
    }

    /// <summary>The environment variable that forces a kernel variant.</summary>
    public const string IsaVariable = "VOXTILE_ISA";

    /// <summary>The variants, by the names <c>vt_isa_name</c> gives them.</summary>
    public static IReadOnlyList<VtIsa> Isas { get; } = [VtIsa.Avx512Bf16, VtIsa.Avx512, VtIsa.Avx2, VtIsa.Portable];

    /// <summary>
    /// The variant <paramref name="name"/> names (avx512_bf16, also written avx512bf16; avx512; avx2; portable), if this
    /// CPU has it; otherwise one line saying which it has.
    /// </summary>
    public static VtIsa ParseIsa(string name)
    {
        var wanted = name.Trim().ToLowerInvariant().Replace("_", "").Replace("-", "");
        var isa = Isas.FirstOrDefault(i => IsaName(i).Replace("_", "") == wanted, (VtIsa)(-1));
        var have = string.Join(", ", Isas.Where(Supports).Select(IsaName));
        if ((int)isa < 0) throw new VoxTile.IR.VoxTileException($"{IsaVariable}={name} names no kernel variant (known: {string.Join(", ", Isas.Select(IsaName))}; this CPU runs {have})");
        if (!Supports(isa)) throw new VoxTile.IR.VoxTileException($"{IsaVariable}={name}: this CPU lacks the {IsaName(isa)} kernels (it runs {have})");
        return isa;
    }

    /// <summary>The variant the kernels run now, and whether <see cref="IsaVariable"/> chose it.</summary>
    public static (VtIsa Isa, bool Forced) CurrentIsa =>
        (VtNative.GetIsa(), Environment.GetEnvironmentVariable(IsaVariable) is { Length: > 0 });

    /// <summary>The instruction set the kernels use now.</summary>
    public static unsafe string IsaName(VtIsa isa) => Marshal.PtrToStringUTF8((nint)VtNative.IsaName(isa)) ?? "?";

    /// <summary>Forces an instruction-set variant (tests and benchmarks compare them).</summary>
    public static void UseIsa(VtIsa isa) => VtNative.SetIsa(isa).ThrowIfFailed();

    public static bool Supports(VtIsa isa) => VtNative.IsaSupported(isa) != 0;

    /// <summary>
    /// The core clock in GHz as it runs now, boost included (vt_measure_clock_ghz times a chain of dependent integer
    /// adds, one cycle each); 0 where it cannot be measured.
    /// </summary>
    public static double MeasuredClockGhz() => VtNative.MeasureClockGhz();
}
