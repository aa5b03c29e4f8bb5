namespace VoxTile.Lowering.Planning;

/// <summary>
/// Plans have static shapes, so the converter is compiled per length bucket: the input is zero-padded up to a
/// multiple of <see cref="Frames"/> spectrogram frames and the output trimmed back (README, "Lengths and buckets").
/// 128 frames is a whole number of tiles at every rate of the decoder (T, 8T, 64T, 128T, 256T), so no axis is
/// padded inside the program, and 64·128k never lands in tt-metal #55545's lengths (8193–8704).
/// </summary>
public static class LengthBuckets
{
    public const int Frames = 128;

    /// <summary>The bucket holding <paramref name="frames"/> frames (at least one bucket).</summary>
    public static int Round(int frames) => Math.Max(1, (frames + Frames - 1) / Frames) * Frames;
}
