namespace VoxTile.IR.Numerics;

/// <summary>
/// TTNN's TILE layout: a tensor's leading dims collapse into rows, rows and columns are padded to multiples of 32,
/// and the matrix is stored as 32×32 tiles in row-major tile order, each tile as four 16×16 faces
/// (top-left, top-right, bottom-left, bottom-right), each face row-major.
/// </summary>
public static class TileLayout
{
    public const int Tile = 32, Face = 16;

    /// <summary>Rows and columns of the 2-D view (all leading dims fold into rows).</summary>
    public static (long Rows, int Cols) View(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return (1, 1);
        long rows = 1;
        for (int i = 0; i < shape.Length - 1; i++) rows *= shape[i];
        return (rows, shape[^1]);
    }

    /// <summary>Bytes of one 32×32 tile in a device dtype (block floats: 1024 mantissas plus one shared exponent per 16 values).</summary>
    public static int TileBytes(DType t) => t switch
    {
        DType.BF16 => 2048,
        DType.BFP8_B => 1088,
        DType.BFP4_B => 576,
        DType.F32 or DType.U32 or DType.I32 => 4096,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static long PaddedRows(long rows) => (rows + Tile - 1) / Tile * Tile;
    public static int PaddedCols(int cols) => (cols + Tile - 1) / Tile * Tile;

    public static long TileCount(ReadOnlySpan<int> shape)
    {
        var (r, c) = View(shape);
        return PaddedRows(r) / Tile * (PaddedCols(c) / Tile);
    }

    /// <summary>Row-major data → tiled order (padding with <paramref name="pad"/>); tiles × 1024 values.</summary>
    public static float[] Tilize(ReadOnlySpan<float> data, ReadOnlySpan<int> shape, float pad = 0f)
    {
        var (rows, cols) = View(shape);
        long pr = PaddedRows(rows);
        int pc = PaddedCols(cols);
        var dst = new float[pr * pc];
        int tilesPerRow = pc / Tile;
        for (long r = 0; r < pr; r++)
            for (int c = 0; c < pc; c++)
            {
                float v = r < rows && c < cols ? data[(int)(r * cols + c)] : pad;
                dst[Index(r, c, tilesPerRow)] = v;
            }
        return dst;
    }

    /// <summary>Tiled order → row-major data of the logical shape.</summary>
    public static float[] Untilize(ReadOnlySpan<float> tiled, ReadOnlySpan<int> shape)
    {
        var (rows, cols) = View(shape);
        int tilesPerRow = PaddedCols(cols) / Tile;
        var dst = new float[rows * cols];
        for (long r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                dst[r * cols + c] = tiled[(int)Index(r, c, tilesPerRow)];
        return dst;
    }

    /// <summary>Position of element (r, c) in tiled order.</summary>
    public static long Index(long r, int c, int tilesPerRow)
    {
        long tile = r / Tile * tilesPerRow + c / Tile;
        int tr = (int)(r % Tile), tc = c % Tile;
        int face = tr / Face * 2 + tc / Face;
        return tile * Tile * Tile + face * Face * Face + tr % Face * Face + tc % Face;
    }
}
