namespace VoxTile.Models.Checkpoints;

/// <summary>
/// A per-thread counter that our pickle constructors and persistent loads advance. Razorvine's SETITEMS inserts a batch of
/// pairs in reverse order with no call into our code in between, so a run of inserts that share one tick is one batch;
/// <see cref="PickledOrderedDict"/> uses that to recover the order the file wrote. Per thread because Razorvine unpickles
/// synchronously on the caller's thread and its constructor table is process-wide.
/// </summary>
internal static class PickleTicks
{
    [ThreadStatic] private static long s_tick;

    public static long Current => s_tick;

    public static long Next() => ++s_tick;
}
