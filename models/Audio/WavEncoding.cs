namespace VoxTile.Models.Audio;

/// <summary>Sample encodings <see cref="WavFile.Write"/> can produce.</summary>
public enum WavEncoding
{
    /// <summary>16-bit signed PCM: value = round(x · 32768) clipped to [-32768, 32767].</summary>
    Pcm16,

    /// <summary>24-bit signed PCM: value = round(x · 8388608) clipped to [-8388608, 8388607].</summary>
    Pcm24,

    /// <summary>32-bit signed PCM: value = round(x · 2147483648) clipped to the int32 range.</summary>
    Pcm32,

    /// <summary>IEEE float 32-bit, written as is (no clipping).</summary>
    Float32,
}
