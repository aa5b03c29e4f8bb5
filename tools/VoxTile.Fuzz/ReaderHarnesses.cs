using System.Security.Cryptography;
using System.Text;
using VoxTile.IR.IO;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Audio;
using VoxTile.Models.Checkpoints;
using VoxTile.Models.Config;
using VoxTile.Runtime.Execution;

namespace VoxTile.Fuzz;

/// <summary>The readers that take files from outside: WAV, .npy, torch.save checkpoints, device plans, model configs.</summary>
public static class ReaderHarnesses
{
    public static readonly ReaderHarness Wav = new("wav", "wav", bytes => WavFile.Read(new MemoryStream(bytes, writable: false), "fuzz.wav"));

    public static readonly ReaderHarness NumPy = new("npy", "npy", bytes => Npy.Read(bytes, "fuzz.npy"));

    /// <summary>The zip container, the pickle's global scan, the unpickling and the tensors it points at: a state dict, and a single tensor (se.pth).</summary>
    public static readonly ReaderHarness Checkpoint = new("checkpoint", "checkpoint",
        bytes => FromFile(bytes, path => TorchCheckpoint.Load(path)), bytes => FromFile(bytes, path => TorchCheckpoint.LoadTensor(path)));

    /// <summary>
    /// A plan's bytes with their SHA-256 recomputed (the trailing 32 bytes are replaced), so mutations reach the header
    /// and the steps instead of stopping at the checksum; then what the runtime checks when it loads a plan.
    /// </summary>
    public static readonly ReaderHarness Plan = new("plan", "plan", bytes =>
    {
        var sealedPlan = Reseal(bytes);
        var plan = PlanFile.Read(sealedPlan, "fuzz.vtp");
        PlanLoader.Load(plan, TargetSpec.Parse(plan.Target), "fuzz.vtp");
    });

    /// <summary>A config.json as MeloTTS's and as the converter's: each either builds or names the key to fix.</summary>
    public static readonly ReaderHarness Config = new("config", "config",
        bytes => MeloConfig.Parse(Encoding.UTF8.GetString(bytes), "fuzz-config.json"),
        bytes => ConverterConfig.Parse(Encoding.UTF8.GetString(bytes), "fuzz-config.json"));

    public static IReadOnlyList<ReaderHarness> All { get; } = [Wav, NumPy, Checkpoint, Plan, Config];

    public static ReaderHarness? Named(string name) => All.FirstOrDefault(h => h.Name == name);

    // The checkpoint reader opens files (the zip is read lazily, tensor by tensor), so each input is written to one first.
    private static void FromFile(byte[] bytes, Action<string> read)
    {
        var path = Path.Combine(Path.GetTempPath(), $"voxtile-fuzz-{Environment.ProcessId}.pth");
        File.WriteAllBytes(path, bytes);
        try { read(path); }
        finally { File.Delete(path); }
    }

    public static byte[] Reseal(byte[] bytes)
    {
        if (bytes.Length < 32) return bytes;
        var copy = (byte[])bytes.Clone();
        SHA256.HashData(copy.AsSpan(0, copy.Length - 32)).CopyTo(copy.AsSpan(copy.Length - 32));
        return copy;
    }
}
