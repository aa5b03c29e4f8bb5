using System.Diagnostics;
using System.Globalization;
using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Models.Pipelines;

namespace VoxTile.Cli.Commands;

/// <summary>
/// ONNX Runtime beside <c>voxtile bench converter</c>: tools/VoxTile.Bench in its serve mode, one process that loads
/// the exported converter once, warms it up and then times one run each time it is asked. The bench asks after each
/// of its own timed runs, so both sides are timed alternately on the same machine state: on a shared machine whose
/// speed drifts by tens of percent over a minute, timing one side after the other measured the drift as much as the
/// code. The helper is built on first use, as the launcher builds the CLI, so a fresh clone prints a ratio.
/// </summary>
internal sealed class OnnxRuntimePeer : IDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _inputs;
    private readonly List<double> _seconds = [];

    private OnnxRuntimePeer(Process process, DirectoryInfo inputs)
    {
        _process = process;
        _inputs = inputs;
    }

    /// <summary>Runs timed so far.</summary>
    public int Runs => _seconds.Count;

    /// <summary>The fastest run's wall time in seconds, or null before the first run.</summary>
    public double? BestSeconds => BestSince(0);

    /// <summary>The fastest of the runs from the <paramref name="first"/>-th on (those alternating with one configuration), or null.</summary>
    public double? BestSince(int first) => _seconds.Count <= first ? null : _seconds.Skip(first).Min();

    /// <summary>
    /// The helper loaded and warmed up on <paramref name="inputs"/> with <paramref name="threads"/> threads, or null
    /// (with why, on standard output) when the peer model is absent or the helper cannot be built or started.
    /// </summary>
    public static OnnxRuntimePeer? Start(string? peersOption, ConverterBench.Inputs inputs, int threads)
    {
        var repo = FindRepository();
        var peers = peersOption ?? Environment.GetEnvironmentVariable("VOXTILE_PEERS") ?? (repo is null ? null : Path.Combine(repo, "..", "shared", "peers"));
        var skeleton = peers is null ? null : Path.Combine(peers, "openvoice-v2-converter.skeleton.onnx");
        if (skeleton is null || !File.Exists(skeleton))
        {
            Console.WriteLine("onnxruntime: skipped (../shared/peers/openvoice-v2-converter.skeleton.onnx is not here)");
            return null;
        }
        var tool = FindBenchTool(repo) is { } found && !IsStale(found, repo) ? found : BuildBenchTool(repo);
        if (tool is null) return null;
        var dir = Directory.CreateTempSubdirectory("voxtile-bench-");
        Process? p = null;
        try
        {
            Npy.Write(Path.Combine(dir.FullName, "spec.npy"), inputs.Spec);
            Npy.Write(Path.Combine(dir.FullName, "se_src.npy"), inputs.SeSource);
            Npy.Write(Path.Combine(dir.FullName, "se_tgt.npy"), inputs.SeTarget);
            Npy.Write(Path.Combine(dir.FullName, "noise.npy"), inputs.Noise);
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { tool, skeleton, dir.FullName, inputs.AudioSeconds.ToString("R", CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture), "serve" })
                psi.ArgumentList.Add(a);
            p = Process.Start(psi) ?? throw new VoxTileException("cannot start dotnet for the ONNX Runtime benchmark");
            var peer = new OnnxRuntimePeer(p, dir);
            var ready = p.StandardOutput.ReadLine();
            if (ready != "ready")
            {
                p.WaitForExit(10_000);
                var why = p.StandardError.ReadToEnd().Split('\n').FirstOrDefault(l => l.Length > 0) ?? ready ?? "no output";
                Console.WriteLine($"onnxruntime: failed ({(p.HasExited ? $"exit {p.ExitCode}" : "no ready line")}): {why}");
                peer.Dispose();
                return null;
            }
            return peer;
        }
        catch
        {
            p?.Dispose();
            dir.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Times one ONNX Runtime run (its wall time, measured by the helper around <c>session.Run</c>).</summary>
    public double RunOnce()
    {
        _process.StandardInput.WriteLine("run");
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine();
        var field = line?.Split(' ').FirstOrDefault(f => f.StartsWith("wall_s=", StringComparison.Ordinal));
        if (field is null)
            throw new VoxTileException($"the ONNX Runtime helper stopped answering: {_process.StandardError.ReadToEnd().Split('\n').FirstOrDefault(l => l.Length > 0) ?? line ?? "no output"}");
        double s = double.Parse(field[7..], CultureInfo.InvariantCulture);
        _seconds.Add(s);
        return s;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close(); // end of input: the helper exits
                if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { _inputs.Delete(recursive: true); }
        catch (IOException) { }
    }

    private static string? FindRepository()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "VoxTile.slnx"))) return d.FullName;
        for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "VoxTile.slnx"))) return d.FullName;
        return null;
    }

    private static string? FindBenchTool(string? repo)
    {
        if (Environment.GetEnvironmentVariable("VOXTILE_BENCH_ORT") is { Length: > 0 } env && File.Exists(env)) return env;
        if (repo is null) return null;
        foreach (var config in new[] { "Release", "Debug" })
        {
            var dll = Path.Combine(repo, "tools", "VoxTile.Bench", "bin", config, "net10.0", "VoxTile.Bench.dll");
            if (File.Exists(dll)) return dll;
        }
        return null;
    }

    /// <summary>
    /// Whether a helper built in the repository is older than a source it is built from (its own folder and ir/, the
    /// .npy reader): a stale helper may not speak the protocol this CLI does. One set with VOXTILE_BENCH_ORT is the
    /// user's to keep current.
    /// </summary>
    private static bool IsStale(string dll, string? repo)
    {
        if (repo is null || Environment.GetEnvironmentVariable("VOXTILE_BENCH_ORT") is { Length: > 0 }) return false;
        var built = File.GetLastWriteTimeUtc(dll);
        return new[] { Path.Combine(repo, "tools", "VoxTile.Bench"), Path.Combine(repo, "ir") }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Any(f => File.GetLastWriteTimeUtc(f) > built);
    }

    /// <summary>
    /// The ONNX Runtime helper (tools/VoxTile.Bench) built on first use, as the launcher builds the CLI, so a fresh
    /// clone's bench prints a ratio with no manual step; null (and why) when there is no source to build or it fails.
    /// </summary>
    private static string? BuildBenchTool(string? repo)
    {
        var project = repo is null ? null : Path.Combine(repo, "tools", "VoxTile.Bench", "VoxTile.Bench.csproj");
        if (project is null || !File.Exists(project))
        {
            Console.WriteLine("onnxruntime: skipped (tools/VoxTile.Bench is not beside this build: set VOXTILE_BENCH_ORT to its VoxTile.Bench.dll)");
            return null;
        }
        Terminal.Progress.Note("building the ONNX Runtime helper (tools/VoxTile.Bench, Release)…");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "build", project, "-c", "Release", "--nologo", "-v", "q" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new VoxTileException("cannot start dotnet to build the ONNX Runtime helper");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode == 0 && FindBenchTool(repo) is { } built) return built;
        var why = (stdout.Result + "\n" + stderr.Result).Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? $"exit {p.ExitCode}";
        Console.WriteLine($"onnxruntime: skipped (building tools/VoxTile.Bench failed: {why.Trim()})");
        return null;
    }
}
