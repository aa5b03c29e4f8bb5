using VoxTile.IR;
using VoxTile.Models.Config;

namespace VoxTile.Models.MeloTTS;

/// <summary>Which row of MeloTTS's speaker table a speaker is: by id, or by a name from the config's spk2id.</summary>
public static class MeloSpeakers
{
    public static int Resolve(MeloConfig config, string speaker)
    {
        if (int.TryParse(speaker, out var id))
        {
            if (id < 0 || id >= config.NSpeakers) throw new VoxTileException($"speaker {id} is outside the model's {config.NSpeakers} speakers");
            return id;
        }
        return config.Speakers.TryGetValue(speaker, out var named) ? named
            : throw new VoxTileException($"unknown speaker '{speaker}' (the config names: {(config.Speakers.Count == 0 ? "none" : string.Join(", ", config.Speakers.Keys))})");
    }
}
