using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Models.Checkpoints;

namespace VoxTile.Models.Api;

/// <summary>
/// A speaker's tone color: OpenVoice's embedding <c>se</c>, [1, gin, 1] float32 (gin = 256 for the released converter),
/// as <see cref="VoiceConverter.ExtractEmbedding(Audio.AudioClip, IProgress{double}?)"/> gives it. Stored as the same
/// <c>.npy</c> that <c>voxtile extract-se</c> writes. Immutable.
/// </summary>
public sealed class VoiceEmbedding
{
    private readonly Tensor _values;

    public VoiceEmbedding(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new VoxTileException("an embedding needs at least one value");
        _values = new Tensor([1, values.Data.Length, 1], [.. values.Data]);
    }

    /// <summary>gin, the embedding's width.</summary>
    public int Channels => _values.Data.Length;

    /// <summary>A copy of the values as [1, gin, 1].</summary>
    public Tensor ToTensor() => new([1, Channels, 1], [.. _values.Data]);

    /// <summary>
    /// Reads an embedding written by <see cref="Save"/> or <c>voxtile extract-se</c> (.npy), or one of OpenVoice's
    /// released <c>.pth</c> files (<c>checkpoints_v2/base_speakers/ses/*.pth</c>: torch.save of one [1, 256, 1] tensor),
    /// told apart by their first bytes (a torch checkpoint is a zip).
    /// </summary>
    public static VoiceEmbedding Load(string path)
    {
        if (!File.Exists(path)) throw new VoxTileException($"{path}: no such file");
        var values = IsZip(path) ? TorchCheckpoint.LoadTensor(path) : Npy.Read(path);
        if (values.Shape.Count(d => d != 1) > 1)
            throw new VoxTileException($"{path}: an embedding is one vector ([1, gin, 1]), but this tensor is [{string.Join(", ", values.Shape)}]");
        return new VoiceEmbedding(values);
    }

    private static bool IsZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var f = File.OpenRead(path);
        return f.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual("PK\x03\x04"u8);
    }

    /// <summary>Writes the embedding as float32 .npy, atomically (a temporary name, then a rename).</summary>
    public void Save(string npyPath) => Npy.Write(npyPath, _values);

    internal Tensor Values => _values;
}
