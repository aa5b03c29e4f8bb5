using System.Globalization;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// What an emitted program knows of a plan's audio, for its <c>--wav</c>: the rate (given to the emitter, else the
/// one the plan records as <see cref="RateSetting"/>), the output it writes (the one named <c>audio</c>, else the
/// first when a rate is given), and what the WAV is trimmed to: the share of a padded input (<c>samples</c>, the
/// converter), or a length output of valid frames (<c>y_length</c>, MeloTTS: the utterance fills y_length of the
/// bucket's frames) times the samples per frame, as VoxTile's own synthesizer trims it.
/// </summary>
public sealed record PlanAudio(int Rate, string Output, string? Input, string? Length = null, int Hop = 0)
{
    /// <summary>The output MeloTTS gives its utterance's frames in (<see cref="FramesOutput"/> has the bucket's).</summary>
    public const string LengthOutput = "y_length";

    /// <summary>The output [B, C, frames] whose last dim is the frame bucket the audio was decoded from (MeloTTS's z).</summary>
    public const string FramesOutput = "z";

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
        string? input = plan.Inputs.Select(cx.Local).Contains("samples") ? "samples" : null;
        int audioAt = outputs.IndexOf(output), lengthAt = outputs.IndexOf(LengthOutput), framesAt = outputs.IndexOf(FramesOutput);
        if (lengthAt < 0 || framesAt < 0) return new(sr, output, input);
        long samples = cx.TypeOf(plan.Outputs[audioAt]).Shape[^1].Value, frames = cx.TypeOf(plan.Outputs[framesAt]).Shape[^1].Value;
        return frames > 0 && samples % frames == 0 ? new(sr, output, input, LengthOutput, (int)(samples / frames)) : new(sr, output, input);
    }
}
