namespace VoxTile.Models.MeloTTS;

/// <summary>
/// Which synthesis graph to build: the static sizes (<paramref name="Phonemes"/> tokens, a bucket of
/// <paramref name="Frames"/> frames), the style knobs baked into it, and its variants. It is also the key a backend
/// caches compiled plans by, so every field changes the graph.
/// </summary>
/// <param name="ForcedDurations">take the whole-frame durations [1, 1, Tx] as the input <c>durations</c> instead of
/// predicting them: for checking everything after the duration predictors with the reference's lengths.</param>
/// <param name="OutputRate">also resample the audio, zeroed past the utterance, to this rate inside the graph (a
/// polyphase FIR as a strided conv1d, <see cref="Audio.ResampleGraph"/>), as the output <c>audio_resampled</c>; null
/// keeps the model's rate only.</param>
/// <param name="DurationsOnly">only the front: the text encoder and both duration predictors, with the outputs
/// <c>durations</c> and <c>logw</c> (a backend may run it at a higher precision and feed the durations to the forced
/// graph). It takes no prior noise, so <paramref name="Frames"/> does not change it.</param>
/// <param name="Batch">utterances run at once, each padded to the same <paramref name="Phonemes"/> and
/// <paramref name="Frames"/> buckets: every input and output has the batch as dim 0, and each item keeps its own token
/// count, durations, frame mask and noise, so it comes out as its batch-1 run would.</param>
/// <param name="FrameViewMasks">the decoder masks its stages of 32·k samples per frame as a frame view times the frame
/// mask (<c>HifiGanGenerator</c>'s frameViews): for Tenstorrent targets, where those reshapes are views; the cpu
/// target's fused convs read per-sample masks. The values are the same either way.</param>
public sealed record MeloGraphSpec(int Phonemes, int Frames, MeloSynthesisOptions Options, bool ForcedDurations = false, int? OutputRate = null,
    bool DurationsOnly = false, int Batch = 1, bool FrameViewMasks = false);
