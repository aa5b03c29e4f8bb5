using System.Globalization;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// What an emitted program knows of a plan's audio, for its <c>--wav</c>: the rate (given to the emitter, else the
/// one the plan records as <see cref="RateSetting"/>), the output it writes (the one named <c>audio</c>, else the
/// first when a rate is given), and the input whose zero padding the WAV is trimmed back from (<c>samples</c>).
/// </summary>
public sealed record PlanAudio(int Rate, string Output, string? Input)
{
    /// <summary>The plan option that records the model's audio rate (<c>voxtile compile</c> writes it).</summary>
    public const string RateSetting = "sample_rate";

    /// <summary>The audio rate the plan records, or null for a plan written before plans recorded it.</summary>
    public static int? RecordedRate(DevicePlan plan) =>
        plan.Options.TryGetValue(RateSetting, out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0 ? r : null;

    /// <summary>The plan's audio with <paramref name="rate"/> (or the recorded one); null when it has no audio output or no rate is known.</summary>
    public static PlanAudio? Of(DevicePlan plan, int? rate)
    {
        var cx = new EmitContext(plan);
        var outputs = plan.Outputs.Select(cx.Local).ToList();
        string? output = outputs.Contains("audio") ? "audio" : rate is not null && outputs.Count > 0 ? outputs[0] : null;
        if (output is null || (rate ?? RecordedRate(plan)) is not { } sr) return null;
        return new(sr, output, plan.Inputs.Select(cx.Local).Contains("samples") ? "samples" : null);
    }
}
