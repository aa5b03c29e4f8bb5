using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Models.Audio;

namespace VoxTile.Cli.Commands;

/// <summary>Output paths: checked before any long work, written atomically after it.</summary>
internal static class OutputFile
{
    /// <summary>The output path that means standard output (audio streamed as it is made).</summary>
    public const string StandardOutputPath = "-";

    /// <summary>Where streamed audio goes; tests put a buffer here, since Console.SetOut only takes text.</summary>
    internal static Func<Stream> StandardOutput { get; set; } = Console.OpenStandardOutput;

    /// <summary>Fails early, with one line, when the output cannot be created (missing folder, no permission).</summary>
    public static void EnsureWritable(string path, params string[] extensions)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (extensions.Length > 0 && !extensions.Contains(ext))
            throw new VoxTileException($"output {path}: expected a {string.Join(" or ", extensions)} file");
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new VoxTileException($"output {path} is a folder");
        var dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir)) throw new VoxTileException($"cannot write {path}: folder {dir} does not exist");
        var probe = Path.Combine(dir, $".voxtile-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Name the output, not the probe standing in for it.
            // Name the output, not the probe standing in for it (and /proc's "could not find file" means no new files there).
            var reason = e is UnauthorizedAccessException ? $"no permission to create files in {dir}"
                : e is FileNotFoundException ? $"{dir} does not take new files"
                : e.Message.Replace(probe, path, StringComparison.Ordinal);
            throw new VoxTileException($"cannot write {path}: {reason}");
        }
    }

    /// <summary>Writes audio as 16-bit PCM WAV, or as float32 .npy samples.</summary>
    public static void WriteAudio(string path, float[] samples, int sampleRate)
    {
        if (Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase))
            Npy.Write(path, new Tensor([samples.Length], samples));
        else
            WavFile.Write(path, samples, sampleRate);
    }
}
