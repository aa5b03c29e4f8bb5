using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using VoxTile.IR;
using VoxTile.Lowering.Plan;

namespace VoxTile.Runtime.Cache;

/// <summary>
/// Compiled device plans on disk, so that converting again does not compile again: one <c>.vtp</c> per key under
/// <c>$VOXTILE_CACHE</c> (else <c>~/.cache/voxtile</c>)<c>/plans</c>. The key names everything a plan depends on:
/// the model's content hash, the target, the length bucket, the dtypes, the graph's own settings (tau) and the
/// compiler's version, so a new VoxTile or another model never reads a stale plan. A cached file that no longer
/// reads (truncated, other format) is compiled again and replaced.
/// </summary>
public sealed class PlanCache(string directory)
{
    public string Directory { get; } = directory;

    public int Hits { get; private set; }
    public int Misses { get; private set; }

    /// <summary>The default location: $VOXTILE_CACHE, else ~/.cache/voxtile; plans go in its plans/ folder.</summary>
    public static PlanCache Default()
    {
        var root = Environment.GetEnvironmentVariable("VOXTILE_CACHE");
        if (string.IsNullOrEmpty(root))
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "voxtile");
        return new PlanCache(Path.Combine(root, "plans"));
    }

    /// <summary>The compiler's version: the assemblies that lower, plan and run (their versions and module ids).</summary>
    public static string CompilerVersion { get; } = ComputeCompilerVersion();

    public static string Key(string modelHash, string target, int bucketFrames, string weights, string activations, string extra = "")
    {
        var text = $"model={modelHash};target={target};frames={bucketFrames};weights={weights};activations={activations};{extra};compiler={CompilerVersion}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24].ToLowerInvariant();
    }

    public string PathOf(string key) => Path.Combine(Directory, key + ".vtp");

    /// <summary>The cached plan for <paramref name="key"/>, or <paramref name="compile"/>'s, written to the cache.</summary>
    public DevicePlan GetOrCompile(string key, Func<DevicePlan> compile, Action<string>? note = null)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            try
            {
                var plan = PlanFile.Read(path);
                Hits++;
                return plan;
            }
            catch (VoxTileException e) { note?.Invoke($"cached plan {path} is unreadable ({e.Message}); compiling again"); }
        }
        Misses++;
        var compiled = compile();
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            PlanFile.Write(path, compiled);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            note?.Invoke($"cannot write the plan cache {Directory}: {e.Message}");
        }
        return compiled;
    }

    private static string ComputeCompilerVersion()
    {
        var parts = new[] { typeof(PlanFile).Assembly, typeof(Tensor).Assembly, typeof(PlanCache).Assembly }
            .Select(a => $"{a.GetName().Name}/{a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}/{a.ManifestModule.ModuleVersionId}");
        return $"f{DevicePlan.CurrentFormat}:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(";", parts))))[..12].ToLowerInvariant();
    }
}
