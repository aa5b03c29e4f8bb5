using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VoxTile.Server.Voices;

/// <summary>
/// The voices each API key has made, kept on disk as <c>DIR/OWNER/ID.json</c> (id, seconds, embedding) and in memory.
/// A file is written under a temporary name and renamed over the final one, so a crash never leaves a torn voice:
/// at start every complete file is read back, leftover temporary files are removed, and an unreadable file is reported
/// and skipped. An owner sees only its own voices; another owner's id is simply not found.
/// </summary>
internal sealed partial class VoiceStore
{
    private const string TempSuffix = ".tmp";
    private readonly string _root;
    private readonly ConcurrentDictionary<(string Owner, string Id), StoredVoice> _voices = new();
    private readonly Lock _writing = new();

    [GeneratedRegex("^(public|[0-9a-f]{16})$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnerPattern();

    private VoiceStore(string root) => _root = root;

    /// <summary>Opens (creating) <paramref name="root"/> and reads back the voices in it; <paramref name="warn"/> hears about files skipped.</summary>
    public static VoiceStore Open(string root, Action<string>? warn = null)
    {
        Directory.CreateDirectory(root);
        var store = new VoiceStore(Path.GetFullPath(root));
        foreach (var ownerDir in Directory.EnumerateDirectories(store._root))
        {
            var owner = Path.GetFileName(ownerDir);
            if (!OwnerPattern().IsMatch(owner)) continue;
            foreach (var tmp in Directory.EnumerateFiles(ownerDir, "*" + TempSuffix)) File.Delete(tmp);
            foreach (var file in Directory.EnumerateFiles(ownerDir, "*.json"))
            {
                var id = Path.GetFileNameWithoutExtension(file);
                if (!VoiceId.IsValid(id)) continue;
                try { store._voices[(owner, id)] = Read(file, id); }
                catch (Exception e) when (e is JsonException or IOException or InvalidDataException)
                {
                    warn?.Invoke($"{file}: skipped, not a complete voice ({e.Message})");
                }
            }
        }
        return store;
    }

    public int Count => _voices.Count;

    public StoredVoice? Find(string owner, string id) =>
        VoiceId.IsValid(id) && _voices.TryGetValue((owner, id), out var v) ? v : null;

    public IReadOnlyList<StoredVoice> List(string owner) =>
        [.. _voices.Where(p => p.Key.Owner == owner).Select(p => p.Value).OrderBy(v => v.Created).ThenBy(v => v.Id, StringComparer.Ordinal)];

    /// <summary>Keeps <paramref name="voice"/> for <paramref name="owner"/>: on disk first (temporary name, then rename), then in memory.</summary>
    public void Add(string owner, StoredVoice voice)
    {
        CheckOwner(owner);
        if (!VoiceId.IsValid(voice.Id)) throw new ArgumentException($"'{voice.Id}' is not a voice id", nameof(voice));
        var dir = Path.Combine(_root, owner);
        Directory.CreateDirectory(dir);
        var final = Path.Combine(dir, voice.Id + ".json");
        var temp = Path.Combine(dir, $"{voice.Id}.{Guid.NewGuid():N}{TempSuffix}");
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, new VoiceFile(voice.Id, voice.Seconds, voice.Created, voice.Embedding), VoiceFileJson.Default.VoiceFile);
            stream.Flush(flushToDisk: true);
        }
        lock (_writing)
        {
            File.Move(temp, final, overwrite: true);
            _voices[(owner, voice.Id)] = voice;
        }
    }

    /// <summary>Forgets <paramref name="owner"/>'s voice <paramref name="id"/>; false when it has none by that id.</summary>
    public bool Delete(string owner, string id)
    {
        if (!VoiceId.IsValid(id)) return false;
        lock (_writing)
        {
            if (!_voices.TryRemove((owner, id), out _)) return false;
            File.Delete(Path.Combine(_root, owner, id + ".json"));
            return true;
        }
    }

    private static void CheckOwner(string owner)
    {
        if (!OwnerPattern().IsMatch(owner)) throw new ArgumentException($"'{owner}' is not an owner", nameof(owner));
    }

    private static StoredVoice Read(string path, string id)
    {
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize(stream, VoiceFileJson.Default.VoiceFile) ?? throw new InvalidDataException("empty");
        if (file.Id != id) throw new InvalidDataException($"holds voice {file.Id}");
        if (file.Embedding is not { Length: > 0 } || file.Embedding.Any(v => !float.IsFinite(v))) throw new InvalidDataException("no embedding");
        return new StoredVoice(file.Id, file.Seconds, file.Created, file.Embedding);
    }
}
