using System.Buffers.Binary;

namespace VoxTile.Models.Audio;

/// <summary>
/// A 16-bit PCM WAV written while it is made, for a pipe (<c>voxtile tts -o -</c>): the header gives the RIFF and data
/// sizes as 0xFFFFFFFF, the "length unknown" that ffmpeg and sox write and read for streams, and each block of samples
/// is encoded exactly as <see cref="WavFile.Encode"/> encodes it and flushed at once.
/// </summary>
public sealed class WavStreamWriter(Stream output, int sampleRate)
{
    /// <summary>The canonical PCM header: RIFF, fmt, data.</summary>
    public const int HeaderBytes = 44;

    private bool _started;

    /// <summary>Samples written so far.</summary>
    public long Samples { get; private set; }

    public void Write(ReadOnlySpan<float> samples)
    {
        if (!_started)
        {
            var header = WavFile.Encode([], sampleRate, name: "standard output");
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), uint.MaxValue);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(HeaderBytes - 4), uint.MaxValue);
            output.Write(header);
            _started = true;
        }
        if (samples.Length > 0) output.Write(WavFile.Encode(samples, sampleRate, name: "standard output").AsSpan(HeaderBytes));
        output.Flush();
        Samples += samples.Length;
    }
}
