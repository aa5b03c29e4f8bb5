using VoxTile.IR;

namespace VoxTile.Models.Device;

/// <summary>
/// Where each chunk of a long input runs and which of its frames are kept. Every chunk is exactly the plan's
/// bucket of frames: the first starts at frame 0 and the last ends at the clip's last frame (so the clip's own
/// edges are the chunk's edges, zero-padded as in the whole run), and the ones between overlap their neighbours by
/// the context on each side; each keeps only frames whose receptive field lies inside it, cropped exactly (no
/// cross-fade is needed: a kept frame is bit-for-bit the whole clip's, up to the kernels' rounding).
/// A clip no longer than one bucket is one chunk, padded at the end up to its own bucket.
/// </summary>
public sealed record ChunkSchedule(int Frames, int ChunkFrames, int Context, IReadOnlyList<ChunkSchedule.Chunk> Chunks)
{
    /// <summary>Frames [Start, Start + length) of the clip go in; frames [KeepFrom, KeepTo) of the clip come out.</summary>
    public sealed record Chunk(int Start, int KeepFrom, int KeepTo);

    public static ChunkSchedule For(int frames, int chunkFrames, int context)
    {
        if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames));
        if (frames <= chunkFrames) return new(frames, chunkFrames, context, [new Chunk(0, 0, frames)]);
        if (chunkFrames <= 2 * context)
            throw new VoxTileException($"chunks of {chunkFrames} frames leave nothing between two contexts of {context} frames: "
                + $"a clip of {frames} frames needs chunks of at least {(2 * context + 128) / 128 * 128} frames (--chunk-frames)");
        var chunks = new List<Chunk>();
        int covered = 0, start = 0;
        while (true)
        {
            if (start + chunkFrames >= frames)
            {
                chunks.Add(new Chunk(frames - chunkFrames, covered, frames));
                break;
            }
            int keepTo = start + chunkFrames - context;
            chunks.Add(new Chunk(start, covered, keepTo));
            covered = keepTo;
            start = covered - context;
        }
        return new(frames, chunkFrames, context, chunks);
    }
}
