using VoxTile.IR;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// Folds PyTorch's (old-style, dim = 0) weight normalisation into a plain weight once at load time, so inference and the
/// device plan only ever see ordinary convolutions.
/// </summary>
public static class WeightNorm
{
    /// <summary>
    /// <c>W = g · v / ‖v‖</c> with the L2 norm of each slice along axis 0 (all other axes reduced), no epsilon, in double.
    /// Axis 0 is out_channels for Conv1d/Conv2d and in_channels for ConvTranspose1d (stored [in, out, k]); the rule is the
    /// same. <paramref name="g"/> holds one value per slice (shape [n, 1, ...] in checkpoints; any shape with n values).
    /// </summary>
    public static Tensor Fold(Tensor g, Tensor v)
    {
        if (v.Rank == 0 || g.Length != v.Dim(0))
            throw new VoxTileException($"weight norm: g has shape {g.ShapeString} but v has shape {v.ShapeString} (one g per slice along axis 0 expected)");
        int rows = v.Dim(0);
        long cols = rows == 0 ? 0 : v.Length / rows;
        var w = new float[v.Length];
        for (int r = 0; r < rows; r++)
        {
            var row = v.Data.AsSpan((int)(r * cols), (int)cols);
            double sum = 0;
            foreach (var x in row) sum += (double)x * x;
            // No epsilon, like torch: an all-zero v gives NaN there as well.
            double norm = Math.Sqrt(sum), gr = g.Data[r];
            var dst = w.AsSpan((int)(r * cols), (int)cols);
            for (int i = 0; i < row.Length; i++) dst[i] = (float)(gr * row[i] / norm);
        }
        return new Tensor((int[])v.Shape.Clone(), w);
    }
}
