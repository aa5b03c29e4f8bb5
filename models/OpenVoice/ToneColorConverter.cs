using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.Checkpoints;
using VoxTile.Models.Config;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.OpenVoice;

/// <summary>
/// OpenVoice V2's tone colour converter (SynthesizerTrn with n_speakers = 0) expressed as IR graphs: the embedding
/// extractor (spectrogram → ref_enc) and voice_conversion (spectrogram → enc_q → flow(g_src) → flow⁻¹(g_tgt) → HiFi-GAN).
/// Graphs are built per input length, which takes milliseconds; weights are shared between builds.
/// </summary>
public sealed class ToneColorConverter
{
    /// <summary>Fixed by OpenVoice's code, not by the config.</summary>
    public const int EncoderWnLayers = 16, FlowWnLayers = 4, FlowCouplings = 4, WnKernel = 5;

    private ToneColorConverter(ConverterConfig config, IParameterSource parameters, string description)
    {
        Config = config;
        Parameters = parameters;
        Weights = new WeightNodes(parameters);
        Description = description;
    }

    public ConverterConfig Config { get; }
    public IParameterSource Parameters { get; }
    public string Description { get; }
    private WeightNodes Weights { get; }

    public int SampleRate => Config.SamplingRate;
    public int SpecChannels => Config.FilterLength / 2 + 1;

    /// <summary>Shortest input the spectrogram accepts (<see cref="MinSamplesFor"/>).</summary>
    public int MinSamples => MinSamplesFor(Config);

    /// <summary>
    /// The shortest input: the spectrogram pads (filter_length − hop) / 2 samples on each side by reflection, which needs
    /// more samples than the pad (as PyTorch's reflect pad does), and at least one hop; the padded input then holds one
    /// full window. 385 samples for the released converter (filter 1024, hop 256), not a whole window of 1024.
    /// </summary>
    public static int MinSamplesFor(ConverterConfig config) => Math.Max((config.FilterLength - config.HopLength) / 2 + 1, config.HopLength);

    /// <summary>The minimum as every refusal of shorter audio states it: "385 samples (17.5 ms at 22050 Hz)".</summary>
    public string MinLength => MinLengthFor(Config);

    /// <summary><see cref="MinLength"/> of a converter of this config.</summary>
    public static string MinLengthFor(ConverterConfig config) =>
        $"{MinSamplesFor(config)} samples ({MinSamplesFor(config) * 1000.0 / config.SamplingRate:F1} ms at {config.SamplingRate} Hz)";

    /// <summary>Loads <c>config.json</c> and <c>checkpoint.pth</c> from a folder laid out like <c>checkpoints_v2/converter</c>.</summary>
    public static ToneColorConverter Load(string dir)
    {
        var (configPath, ckptPath) = ModelFolder.Open(dir, ModelKind.Converter);
        var config = ConverterConfig.Load(configPath);
        var state = TorchCheckpoint.Load(ckptPath);
        var model = new ToneColorConverter(config, new CheckpointParameters(state), $"checkpoint {Path.GetFullPath(dir)}");
        model.Validate();
        return model;
    }

    /// <summary>A converter of the given config with deterministic random weights.</summary>
    public static ToneColorConverter Random(ConverterConfig config, long seed) =>
        new(config, new RandomParameters(seed), $"random weights (seed {seed}) of the {(config == ConverterConfig.ReleasedV2 ? "released V2" : "configured")} shape");

    /// <summary>Builds both graphs once, so that every parameter is read and shape-checked and none is left unused.</summary>
    private void Validate()
    {
        int n = Math.Max(MinSamples, Config.HopLength * 64);
        BuildEmbeddingGraph(n);
        BuildConversionGraph(n, 0.3f, new NoiseSource.Seeded(0));
        Parameters.EnsureAllUsed();
    }

    /// <summary>samples [1, N] → tone colour embedding se [1, gin, 1] (OpenVoice's extract_se on one segment).</summary>
    public Graph BuildEmbeddingGraph(int samples)
    {
        CheckLength(samples);
        var y = Input.Create("samples", TensorType.F32(1, samples));
        var spec = Spectrogram(y);
        var se = ReferenceEncoder.Build(Weights, "ref_enc", spec, SpecChannels, Config.GinChannels).Named("se");
        return Graph.Create("extract_se", [y], [se]);
    }

    /// <summary>
    /// samples [B, N], se_src and se_tgt [B, gin, 1] (and noise [B, inter, frames] when replayed) → audio
    /// [B, 1, hop·frames]: B utterances of one length, each item computed as a batch of one computes it (every op
    /// works per item; the seeded noise is drawn over the whole [B, inter, frames], so only a replayed draw gives each
    /// item its own run's noise). The intermediates carry the golden names: spec, z, z_p, z_hat.
    /// </summary>
    public Graph BuildConversionGraph(int samples, float tau, NoiseSource noise, int batch = 1)
    {
        CheckLength(samples);
        if (batch < 1) throw new VoxTileException($"the batch must hold at least one utterance, got {batch}");
        var c = Config;
        int frames = FrameCount(samples);
        var y = Input.Create("samples", TensorType.F32(batch, samples));
        var seSrc = Input.Create("se_src", TensorType.F32(batch, c.GinChannels, 1));
        var seTgt = Input.Create("se_tgt", TensorType.F32(batch, c.GinChannels, 1));
        var inputs = new List<Node> { y, seSrc, seTgt };
        Node? noiseIn = null;
        if (noise is NoiseSource.Replay)
        {
            noiseIn = Input.Create("noise", TensorType.F32(batch, c.InterChannels, frames));
            inputs.Add(noiseIn);
        }

        var spec = Spectrogram(y);
        var mask = Nn.SequenceMask(Nn.Full(frames, shape: [batch]), spec, name: "mask");
        // zero_g: enc_q and dec are conditioned on a zero vector, which still adds their conditioning biases.
        var gZero = c.ZeroG ? Nn.Full(0f, shape: [1, c.GinChannels, 1], name: "g_zero") : null;

        // enc_q: the posterior encoder and its sample z = (m + ε·τ·exp(logs)) ⊙ mask.
        var h = Nn.Mul(Layers.Conv1d(Weights, "enc_q.pre", spec, SpecChannels, c.HiddenChannels, 1), mask);
        h = WaveNet.Build(Weights, "enc_q.enc", h, mask, gZero ?? seSrc, c.HiddenChannels, WnKernel, 1, EncoderWnLayers, c.GinChannels);
        var stats = Nn.Mul(Layers.Conv1d(Weights, "enc_q.proj", h, c.HiddenChannels, 2 * c.InterChannels, 1), mask);
        var m = Layers.Channels(stats, 0, c.InterChannels);
        var logs = Layers.Channels(stats, c.InterChannels, 2 * c.InterChannels);
        var eps = noiseIn ?? Nn.RandnLike(m, ((NoiseSource.Seeded)noise).Seed, name: "noise");
        var z = Nn.Mul(Nn.Add(m, Nn.Mul(Nn.Scale(eps, factor: tau), Nn.Exp(logs))), mask, name: "z");

        var flow = new ResidualCouplingBlock(Weights, "flow", c.InterChannels, c.HiddenChannels, WnKernel, 1, FlowWnLayers, FlowCouplings, c.GinChannels);
        var zp = flow.Forward(z, mask, seSrc).Named("z_p");
        var zhat = flow.Reverse(zp, mask, seTgt).Named("z_hat");

        var dec = new HifiGanGenerator(Weights, "dec", c.InterChannels, c.UpsampleInitialChannel, c.UpsampleRates.ToArray(),
            c.UpsampleKernelSizes.ToArray(), c.ResblockKernelSizes.ToArray(), [.. c.ResblockDilationSizes.Select(d => d.ToArray())], c.GinChannels);
        var audio = dec.Build(zhat, gZero ?? seTgt, mask).Named("audio");
        return Graph.Create("voice_conversion", inputs, [audio]);
    }

    /// <summary>Spectrogram frames for <paramref name="samples"/> input samples (⌊N/hop⌋ for the released STFT).</summary>
    public int FrameCount(int samples) => SpectrogramOp.Frames(samples);

    /// <summary>
    /// A sample count whose spectrogram has exactly <paramref name="frames"/> frames (the largest at or below
    /// hop · frames): what a graph built for a bucket of frames is built on.
    /// </summary>
    public int SamplesForFrames(int frames)
    {
        int samples = Math.Max(MinSamples, frames * Config.HopLength);
        while (FrameCount(samples) > frames) samples--;
        while (FrameCount(samples) < frames) samples++;
        return samples;
    }

    private IR.Ops.Audio.Spectrogram SpectrogramOp =>
        new() { NFft = Config.FilterLength, Hop = Config.HopLength, WinLength = Config.WinLength };

    private Node Spectrogram(Node y) =>
        Nn.Spectrogram(y, nFft: Config.FilterLength, hop: Config.HopLength, winLength: Config.WinLength, name: "spec");

    private void CheckLength(int samples)
    {
        if (samples < MinSamples || FrameCount(samples) < 1)
            throw new VoxTileException($"audio of {samples} samples is shorter than the converter's minimum of {MinLength}");
    }
}
