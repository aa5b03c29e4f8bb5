namespace VoxTile.IR.Tests.Ops.Reduce;

/// <summary>The lines of a row-major tensor along one axis, for checking reductions against their definition.</summary>
internal static class Lines
{
    /// <summary>Calls <paramref name="f"/>(start, stride, length) for every line along <paramref name="axis"/>, in output order.</summary>
    public static void ForEach(int[] shape, int axis, Action<long, long, int> f)
    {
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        for (long o = 0; o < outer; o++)
            for (long q = 0; q < inner; q++) f(o * shape[axis] * inner + q, inner, shape[axis]);
    }

    public static readonly FsCheck.Gen<int[]> SmallShapes =
        FsCheck.Fluent.Gen.Where(FsCheck.Fluent.Gen.ArrayOf(FsCheck.Fluent.Gen.Choose(1, 4)), a => a.Length is >= 1 and <= 4);
}
