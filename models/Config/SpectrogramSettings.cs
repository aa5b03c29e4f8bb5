using System.Text.Json;

namespace VoxTile.Models.Config;

/// <summary>
/// The STFT keys of a VITS <c>data</c> section that the converter and MeloTTS configs share, as a view of the config's
/// properties: written back in the released order, checked positive, compared (a record of integers).
/// <see cref="WinLength"/> is the effective window (MeloTTS's config may omit it and then uses filter_length).
/// </summary>
internal sealed record SpectrogramSettings(int SamplingRate, int FilterLength, int HopLength, int WinLength)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteNumber("sampling_rate", SamplingRate);
        w.WriteNumber("filter_length", FilterLength);
        w.WriteNumber("hop_length", HopLength);
        w.WriteNumber("win_length", WinLength);
    }

    public void CheckPositive(ConfigCheck check)
    {
        check.Positive(SamplingRate, "data.sampling_rate");
        check.Positive(FilterLength, "data.filter_length");
        check.Positive(HopLength, "data.hop_length");
        check.Positive(WinLength, "data.win_length");
    }

    /// <summary>torch.stft centres a window of win_length inside n_fft: it cannot be longer.</summary>
    public void CheckWindow(ConfigCheck check)
    {
        if (WinLength > FilterLength) check.Fail($"data.win_length ({WinLength}) exceeds data.filter_length ({FilterLength})");
    }
}
