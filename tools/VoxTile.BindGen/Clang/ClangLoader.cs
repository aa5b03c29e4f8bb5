using System.Reflection;
using System.Runtime.InteropServices;

namespace VoxTile.BindGen.Clang;

/// <summary>
/// Finds libclang.so from the libclang.runtime.linux-x64 package: next to the assembly under runtimes/linux-x64/native
/// (where the build copies it), else in the NuGet package folder, else wherever the system loader finds it.
/// </summary>
internal static class ClangLoader
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) != 0) return;
        NativeLibrary.SetDllImportResolver(typeof(ClangLoader).Assembly, Resolve);
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != LibClang.Name) return 0;
        foreach (var candidate in Candidates())
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        return NativeLibrary.TryLoad("libclang.so", assembly, path, out var fallback) ? fallback : 0;
    }

    private static IEnumerable<string> Candidates()
    {
        const string rel = "runtimes/linux-x64/native/libclang.so";
        yield return Path.Combine(AppContext.BaseDirectory, rel);
        var here = Path.GetDirectoryName(typeof(ClangLoader).Assembly.Location);
        if (!string.IsNullOrEmpty(here)) yield return Path.Combine(here, rel);
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dir = Path.Combine(packages, "libclang.runtime.linux-x64");
        if (Directory.Exists(dir))
            foreach (var version in Directory.GetDirectories(dir).OrderDescending(StringComparer.Ordinal))
                yield return Path.Combine(version, rel);
    }
}
