using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.Checkpoints;
using VoxTile.Models.Config;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// MeloTTS's SynthesizerTrn.infer as one IR graph per (phoneme count Tx, frame bucket F): g = emb_g(sid) → enc_p →
/// sdp and dp → durations and the alignment path → expanded prior and its sample z_p → flow⁻¹ → HiFi-GAN. The graph has
/// static shapes: the utterance's frame count y_len is computed inside it and masks every frame at or past y_len, so
/// a run never stops for the host to read a length. The caller trims the outputs to y_len frames (see
/// <see cref="MeloPipeline"/>); when y_len exceeds F the utterance did not fit and needs a larger bucket.
/// <para>
/// Inputs: <c>phonemes</c>, <c>tones</c>, <c>languages</c> [1, Tx] (integer ids held as f32, blanks already
/// interleaved), <c>bert</c> [1, 1024, Tx], <c>ja_bert</c> [1, 768, Tx], <c>sid</c> [1] (speaker row, f32), and with
/// replayed noise <c>noise_0</c> [1, 2, Tx] and <c>noise_1</c> [1, inter, F]. Outputs (named as the goldens):
/// <c>durations</c> [1, 1, Tx], <c>attn</c> [1, 1, F, Tx], <c>m_p</c>, <c>logs_p</c>, <c>z_p</c>, <c>z</c>
/// [1, inter, F], <c>audio</c> [1, 1, hop·F], <c>y_length</c> [1], and with an output rate <c>audio_resampled</c>
/// [1, 1, ⌈hop·F·rate/sampling_rate⌉].
/// </para>
/// </summary>
public sealed class MeloSynthesizer
{
    /// <summary>Checkpoint entries inference does not read: the posterior encoder, the SDP's training-only posterior
    /// flows, and the SDP flow that VITS skips in reverse.</summary>
    public static readonly IReadOnlyList<string> UnusedPrefixes = ["enc_q.", "sdp.post_", "sdp.flows.1."];

    /// <summary>Fixed by MeloTTS's code: the WaveNet flow's kernel, dilation rate and coupling count.</summary>
    public const int WnFlowKernel = 5, WnFlowCouplings = 4;

    public static readonly IReadOnlyList<string> OutputNames = ["durations", "attn", "m_p", "logs_p", "z_p", "z", "audio", "y_length"];

    /// <summary>The output after <see cref="OutputNames"/> when <see cref="MeloGraphSpec.OutputRate"/> is set.</summary>
    public const string ResampledOutput = "audio_resampled";

    private MeloSynthesizer(MeloConfig config, IParameterSource parameters, string description)
    {
        Config = config;
        Parameters = parameters;
        Weights = new WeightNodes(parameters);
        Description = description;
    }

    public MeloConfig Config { get; }
    public IParameterSource Parameters { get; }
    public string Description { get; }
    private WeightNodes Weights { get; }

    public int SampleRate => Config.SamplingRate;
    public int HopLength => Config.HopLength;

    /// <summary>Loads <c>config.json</c> and <c>checkpoint.pth</c> from a MeloTTS model folder; every tensor outside <see cref="UnusedPrefixes"/> must be used.</summary>
    public static MeloSynthesizer Load(string dir)
    {
        var (configPath, ckptPath) = ModelFolder.Open(dir, ModelKind.MeloTts);
        var config = MeloConfig.Load(configPath);
        return FromState(config, TorchCheckpoint.Load(ckptPath), $"checkpoint {Path.GetFullPath(dir)}");
    }

    /// <summary>A synthesizer over a loaded state dict, checked as <see cref="Load"/> checks it.</summary>
    internal static MeloSynthesizer FromState(MeloConfig config, StateDict state, string description)
    {
        var model = new MeloSynthesizer(config, new CheckpointParameters(state), description);
        model.Validate();
        return model;
    }

    /// <summary>A synthesizer of the given config with deterministic random weights (graph building and demos; its speech is noise).</summary>
    public static MeloSynthesizer Random(MeloConfig config, long seed)
    {
        config.Validate("(random model)");
        return new(config, new RandomParameters(seed),
            $"random weights (seed {seed}) of the {(config.Equals(MeloConfig.ReleasedEnglish) ? "released English" : "configured")} shape");
    }

    /// <summary>Builds a small graph once, so that every parameter is read and shape-checked and none is left unused.</summary>
    private void Validate()
    {
        BuildGraph(4, 8, MeloSynthesisOptions.Default, new MeloNoise.Seeded(0));
        Parameters.EnsureAllUsed([.. UnusedPrefixes]);
    }

    /// <summary>Frames per token the suggested bucket allows at speed 1 (see <see cref="SuggestFrames"/>).</summary>
    public const double BucketFramesPerToken = 4.0;

    /// <summary>
    /// A frame bucket that fits typical speech of <paramref name="phonemes"/> tokens (blanks included), rounded up to 32
    /// frames. Typical speech is 2.8–3.4 frames per token at speed 1 (spec §5.2: 25–31 tokens and 86 frames per second);
    /// the bucket allows <see cref="BucketFramesPerToken"/> plus 32 frames. The decoder, most of the work, runs over the
    /// whole bucket, so the headroom is kept small: an utterance that needs more is run again at a bucket that fits.
    /// </summary>
    public static int SuggestFrames(int phonemes, double lengthScale)
    {
        int frames = (int)Math.Ceiling(BucketFramesPerToken * phonemes * Math.Max(lengthScale, 0.1)) + 32;
        return RoundUpFrames(frames);
    }

    /// <summary>Frame buckets come in multiples of 32, so that nearby lengths share one graph.</summary>
    public static int RoundUpFrames(int frames) => (Math.Max(frames, 1) + 31) / 32 * 32;

    /// <summary>The inference graph for <paramref name="phonemes"/> tokens and a bucket of <paramref name="frames"/> frames (see the class summary).</summary>
    public Graph BuildGraph(int phonemes, int frames, MeloSynthesisOptions options, MeloNoise noise) =>
        BuildGraph(new MeloGraphSpec(phonemes, frames, options), noise);

    /// <summary>The inference graph <paramref name="spec"/> describes; with forced durations it takes the input
    /// <c>durations</c> after the noise inputs (the duration predictors are then not in the graph).</summary>
    public Graph BuildGraph(MeloGraphSpec spec, MeloNoise noise)
    {
        var (phonemes, frames, options, b) = (spec.Phonemes, spec.Frames, spec.Options, spec.Batch);
        if (phonemes < 1) throw new VoxTileException("MeloTTS needs at least one phoneme");
        if (frames < 1) throw new VoxTileException("the frame bucket must hold at least one frame");
        if (b < 1) throw new VoxTileException($"the batch must hold at least one utterance (got {b})");
        var c = Config;
        int tx = phonemes, inter = c.InterChannels;
        var ids = Input.Create("phonemes", TensorType.F32(b, tx));
        var tones = Input.Create("tones", TensorType.F32(b, tx));
        var languages = Input.Create("languages", TensorType.F32(b, tx));
        var bert = Input.Create("bert", TensorType.F32(b, TextEncoder.BertChannels, tx));
        var jaBert = Input.Create("ja_bert", TensorType.F32(b, TextEncoder.JaBertChannels, tx));
        var sid = Input.Create("sid", TensorType.F32(b));
        var tokens = Input.Create("tokens", TensorType.F32(b));
        var inputs = new List<Node> { ids, tones, languages, bert, jaBert, sid, tokens };
        Node durationNoise, priorNoise;
        if (noise.SeedsFor(b) is { } seeds)
        {
            // Drawn token-major, so that a token's values do not depend on the token bucket.
            durationNoise = Nn.Transpose(SeededDraws(seeds, 0, [tx, 2], "noise_0_by_token"), [0, 2, 1], name: "noise_0");
            // Drawn frame-major so that frame t's values do not depend on the bucket size.
            priorNoise = Nn.Transpose(SeededDraws(seeds, 1, [frames, inter], "noise_1_by_frame"), [0, 2, 1], name: "noise_1");
        }
        else if (noise is MeloNoise.Replay or MeloNoise.PerItem)
        {
            durationNoise = Input.Create("noise_0", TensorType.F32(b, 2, tx));
            priorNoise = Input.Create("noise_1", TensorType.F32(b, inter, frames));
            inputs.Add(durationNoise);
            inputs.Add(priorNoise);
        }
        else throw new ArgumentException($"unknown noise source {noise}", nameof(noise));

        var g = Nn.Reshape(MeloLayers.Embedding(Weights, "emb_g", sid, c.NSpeakers, c.GinChannels), [b, c.GinChannels, 1], name: "g");
        // The first `tokens` of the Tx positions are the utterance; the rest pad it to a token bucket and are masked
        // everywhere the reference masks a batch's padding (attention keys, convs, duration predictors, the path).
        var xMask = Nn.Less(Nn.Reshape(Nn.Arange(tx), [1, 1, tx]), b == 1 ? tokens : Nn.Reshape(tokens, [b, 1, 1]), name: "x_mask");
        var (x, mP, logsP) = TextEncoder.Build(Weights, c, ids, tones, languages, bert, jaBert, xMask, g);

        if (spec.ForcedDurations && spec.DurationsOnly) throw new ArgumentException("a durations-only graph predicts the durations", nameof(spec));
        LengthRegulator.Result lr;
        if (spec.ForcedDurations)
        {
            var durations = Input.Create("durations", TensorType.F32(b, 1, tx));
            inputs.Add(durations);
            lr = LengthRegulator.FromDurations(durations, xMask, frames);
        }
        else
        {
            var logwSdp = StochasticDurationPredictor.Build(Weights, x, xMask, g, durationNoise, (float)options.NoiseScaleW, c.HiddenChannels, c.GinChannels);
            var logwDp = DurationPredictor.Build(Weights, x, xMask, g, c.HiddenChannels, c.GinChannels);
            var logw = Nn.Add(Nn.Scale(logwSdp, factor: (float)options.SdpRatio), Nn.Scale(logwDp, factor: (float)(1 - options.SdpRatio)), name: "logw");
            lr = LengthRegulator.Build(logw, xMask, options.LengthScale, frames);
            // The front reads no frame-sized input, so its graph (and a plan of it) is the same for every frame bucket.
            if (spec.DurationsOnly) return Graph.Create("melo_durations", inputs.Where(i => i.Name != "noise_1"), [lr.Durations, logw]);
        }

        // Each frame copies its phone's prior: [B, inter, Tx] × pathᵀ [B, Tx, F].
        var pathT = Nn.Transpose(Nn.Reshape(lr.Path, [b, frames, tx]), [0, 2, 1]);
        var mPx = Nn.MatMul(mP, pathT, name: "m_p");
        var logsPx = Nn.MatMul(logsP, pathT, name: "logs_p");
        var zP = Nn.Add(mPx, Nn.Scale(Nn.Mul(priorNoise, Nn.Exp(logsPx)), factor: (float)options.NoiseScale), name: "z_p");

        Node z = c.UseTransformerFlow
            ? new TransformerCouplingBlock(Weights, "flow", inter, c.HiddenChannels, c.FilterChannels, c.NHeads, c.NLayersTransFlow, c.NFlowLayer, c.GinChannels)
                .Reverse(zP, lr.FrameMask, g)
            : new ResidualCouplingBlock(Weights, "flow", inter, c.HiddenChannels, WnFlowKernel, 1, c.NFlowLayer, WnFlowCouplings, c.GinChannels)
                .Reverse(zP, lr.FrameMask, g);
        z = z.Named("z");

        var dec = new HifiGanGenerator(Weights, "dec", inter, c.UpsampleInitialChannel, [.. c.UpsampleRates], [.. c.UpsampleKernelSizes],
            [.. c.ResblockKernelSizes], [.. c.ResblockDilationSizes.Select(d => d.ToArray())], c.GinChannels, maskPerProduct: true,
            frameViews: spec.FrameViewMasks);
        var audio = dec.Build(z, g, lr.FrameMask).Named("audio");
        var yLength = Nn.Reshape(lr.Length, [b], name: "y_length");
        List<Node> outputs = [lr.Durations, lr.Path, mPx, logsPx, zP, z, audio, yLength];
        if (spec.OutputRate is { } rate)
        {
            // The decoder's last conv reaches 3 samples past the utterance: zero them, as the trimmed audio has nothing there.
            var trimmed = Nn.Mul(audio, MeloLayers.PrefixMask(lr.Length, c.HopLength, audio));
            outputs.Add(Audio.ResampleGraph.Build(trimmed, c.SamplingRate, rate).Named(ResampledOutput));
        }
        return Graph.Create("melo_tts", inputs, outputs);
    }

    /// <summary>
    /// Standard-normal draws [B, ...shape] with item b's from seed <c>seeds[b] + offset</c>: one nn.randn_like per
    /// item over that item's own [1, ...shape], as its single run draws it, joined on the batch axis (a batch of one
    /// is the single draw itself).
    /// </summary>
    private static Node SeededDraws(long[] seeds, int offset, int[] shape, string name)
    {
        if (seeds.Length == 1) return Nn.RandnLike(Nn.Full(0f, shape: [1, .. shape]), seeds[0] + offset, name: name);
        var drawn = new Dictionary<long, Node>();
        var items = seeds.Select(s => drawn.TryGetValue(s, out var d) ? d
            : drawn[s] = Nn.RandnLike(Nn.Full(0f, shape: [1, .. shape]), s + offset, name: $"{name}_seed_{s}")).ToArray();
        return Nn.Concat(items, 0);
    }
}
