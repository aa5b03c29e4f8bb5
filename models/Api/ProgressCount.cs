namespace VoxTile.Models.Api;

/// <summary>
/// A progress receiver that also wants the count behind the fraction ("chunk 3 of 8", "sentence 2 of 5"): an
/// <see cref="IProgress{T}"/> of double that implements this gets <see cref="Step"/> in place of the bare fraction,
/// so a display can say what is being done; any other receiver gets the fraction as before.
/// </summary>
public interface IProgressCount
{
    /// <summary><paramref name="done"/> of <paramref name="total"/> <paramref name="unit"/>s are done (unit singular: "chunk").</summary>
    void Step(int done, int total, string unit);
}

/// <summary>Reports counted progress to any <see cref="IProgress{T}"/> of double.</summary>
public static class ProgressCounts
{
    /// <summary><paramref name="done"/> of <paramref name="total"/> <paramref name="unit"/>s: the count where the receiver takes one, else the fraction.</summary>
    public static void ReportCount(this IProgress<double>? progress, int done, int total, string unit)
    {
        if (progress is null || total <= 0) return;
        if (progress is IProgressCount counts) counts.Step(done, total, unit);
        else progress.Report((double)done / total);
    }
}
