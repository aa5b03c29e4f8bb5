using VoxTile.IR;
using VoxTile.IR.IO;

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

    /// <summary>Reads an embedding written by <see cref="Save"/> or <c>voxtile extract-se</c>.</summary>
    public static VoiceEmbedding Load(string npyPath)
    {
        if (!File.Exists(npyPath)) throw new VoxTileException($"{npyPath}: no such file");
        return new VoiceEmbedding(Npy.Read(npyPath));
    }

    /// <summary>Writes the embedding as float32 .npy, atomically (a temporary name, then a rename).</summary>
    public void Save(string npyPath) => Npy.Write(npyPath, _values);

    internal Tensor Values => _values;
}
