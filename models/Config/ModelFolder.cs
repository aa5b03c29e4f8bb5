using System.Text.Json;
using VoxTile.IR;

namespace VoxTile.Models.Config;

/// <summary>
/// A model folder (config.json + checkpoint.pth) checked before it is read, so that the wrong thing — a file, the other
/// model's folder — is named as what it is rather than by the first field that fails to parse.
/// </summary>
public static class ModelFolder
{
    /// <summary>The paths of config.json and checkpoint.pth in <paramref name="dir"/>, after checking that it is a model folder of <paramref name="kind"/> (with its checkpoint unless <paramref name="needCheckpoint"/> is false).</summary>
    public static (string Config, string Checkpoint) Open(string dir, ModelKind kind, bool needCheckpoint = true)
    {
        if (File.Exists(dir))
            throw new VoxTileException($"{dir} is a file, not a folder: give the model folder that holds config.json and checkpoint.pth"
                + (Path.GetFileName(dir) is "config.json" or "checkpoint.pth" ? $" ({Path.GetDirectoryName(Path.GetFullPath(dir))})" : ""));
        if (!Directory.Exists(dir)) throw new VoxTileException($"model folder {dir} does not exist");
        var config = Path.Combine(dir, "config.json");
        var checkpoint = Path.Combine(dir, "checkpoint.pth");
        if (!File.Exists(config)) throw new VoxTileException($"{dir}: config.json is missing");
        if (Kind(config) is { } found && found != kind)
            throw new VoxTileException(found == ModelKind.MeloTts
                ? $"{dir} is a MeloTTS model, not the OpenVoice tone color converter (its config.json has MeloTTS's symbols, num_tones and spk2id)"
                : $"{dir} is not a MeloTTS model: its config.json lacks MeloTTS's symbols, num_tones and data.spk2id (it looks like the OpenVoice tone color converter)");
        if (needCheckpoint && !File.Exists(checkpoint)) throw new VoxTileException($"{dir}: checkpoint.pth is missing");
        return (config, checkpoint);
    }

    /// <summary>Which model a config.json describes, from the fields only MeloTTS has; null when it cannot be read as JSON.</summary>
    public static ModelKind? Kind(string configPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            bool melo = root.TryGetProperty("symbols", out _) || root.TryGetProperty("num_tones", out _)
                || root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("spk2id", out _);
            return melo ? ModelKind.MeloTts : ModelKind.Converter;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
