using VoxTile.IR;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// An executor of the synthesis graph other than the reference interpreter (the device runtime's, in
/// VoxTile.Models.Device), plugged into <see cref="MeloPipeline"/>. It runs the graph
/// <c>model.BuildGraph(spec, replayed noise)</c> on the named inputs (phonemes, tones, languages, bert, ja_bert, sid,
/// noise_0, noise_1, and durations when forced) and returns its outputs in <see cref="MeloSynthesizer.OutputNames"/>
/// order, untrimmed. Noise always arrives as tensors: a seeded draw is made by the pipeline
/// (<see cref="MeloNoise.Draw"/>), so both paths see the same numbers.
/// </summary>
public interface IMeloBackend
{
    /// <summary>How the backend is named in messages ("device bf16 on wormhole_n150").</summary>
    string Name { get; }

    /// <param name="observe">Called with named intermediates the backend can show (see <see cref="MeloSynthesizer.OutputNames"/>).</param>
    IReadOnlyList<Tensor> Run(MeloSynthesizer model, MeloGraphSpec spec, IReadOnlyDictionary<string, Tensor> inputs,
        Action<string, Tensor>? observe, IProgress<double>? progress);
}
