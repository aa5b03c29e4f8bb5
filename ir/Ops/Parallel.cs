namespace VoxTile.IR.Ops;

/// <summary>Work splitting for the reference kernels: parallel only when the work is large enough to pay for it.</summary>
internal static class Par
{
    /// <param name="work">Rough operation count of the whole loop; small loops run inline.</param>
    public static void For(int count, long work, Action<int> body)
    {
        if (count <= 1 || work < 1 << 16 || Environment.ProcessorCount == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, body);
    }
}
