using VoxTile.IR;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// The named weights of a model, in checkpoint order, with weight norm already folded: every pair <c>X.weight_g</c> +
/// <c>X.weight_v</c> (or torch ≥ 2.1's <c>X.parametrizations.weight.original0/1</c>) is the single key <c>X.weight</c>.
/// Model builders take each weight with <see cref="Get"/>, which checks the shape the config implies, and finish with
/// <see cref="EnsureAllUsed"/> so a checkpoint for a different architecture cannot load silently. Not thread-safe
/// (Get records what was read).
/// </summary>
public sealed class StateDict
{
    private readonly Dictionary<string, Tensor> _tensors;
    private readonly List<string> _order;
    private readonly IReadOnlyList<string> _keys;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private StateDict(List<KeyValuePair<string, Tensor>> ordered)
    {
        _order = new(ordered.Count);
        _tensors = new(ordered.Count, StringComparer.Ordinal);
        foreach (var (k, t) in ordered)
        {
            _order.Add(k);
            _tensors.Add(k, t);
        }
        _keys = _order.AsReadOnly();
    }

    /// <summary>Keys in checkpoint order (folded weights sit where their g/v pair was).</summary>
    public IEnumerable<string> Keys => _keys;

    public int Count => _order.Count;

    public bool Contains(string key) => _tensors.ContainsKey(key);

    /// <summary>
    /// The tensor stored under <paramref name="key"/>, marked as used. With <paramref name="expectedShape"/> given, its shape
    /// must match exactly (pass none to skip the check).
    /// </summary>
    public Tensor Get(string key, params int[] expectedShape)
    {
        if (!_tensors.TryGetValue(key, out var t))
            throw new VoxTileException($"checkpoint: missing key '{MissingName(key)}'");
        if (expectedShape.Length > 0 && !t.Shape.AsSpan().SequenceEqual(expectedShape))
            throw new VoxTileException($"checkpoint: '{FileText.Printable(key)}' has shape {t.ShapeString} but the config implies [{string.Join(",", expectedShape)}]");
        _used.Add(key);
        return t;
    }

    /// <summary>Throws for the first key (in ordinal order) that no <see cref="Get"/> read and no ignored prefix covers.</summary>
    public void EnsureAllUsed(params string[] ignoredPrefixes)
    {
        foreach (var key in _order.Order(StringComparer.Ordinal))
        {
            if (_used.Contains(key)) continue;
            if (ignoredPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) continue;
            throw new VoxTileException($"checkpoint: unexpected key '{FileText.Printable(key)}' (not used by the model)");
        }
    }

    /// <summary>A state dict from tensors in memory (models built from random weights); weight-norm pairs are folded too.</summary>
    public static StateDict FromTensors(IDictionary<string, Tensor> tensors) => Create(tensors, "state dict");

    internal static StateDict Create(IEnumerable<KeyValuePair<string, Tensor>> ordered, string what)
    {
        var list = ordered.ToList();
        var byName = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, t) in list)
            if (!byName.TryAdd(k, t)) throw new VoxTileException($"{what}: duplicate key '{FileText.Printable(k)}'");

        // Which keys fold into which weight: g key -> (v key, folded key).
        var pairs = new Dictionary<string, (string G, string V, string W)>(StringComparer.Ordinal);
        foreach (var k in byName.Keys)
        {
            if (TryPartner(k, out var g, out var v, out var w) && k == g && byName.ContainsKey(v))
            {
                if (byName.ContainsKey(w))
                    throw new VoxTileException($"{what}: both '{FileText.Printable(w)}' and its weight-norm pair '{FileText.Printable(g)}'/'{FileText.Printable(v)}' are present");
                var folded = (g, v, w);
                pairs[g] = folded;
                pairs[v] = folded;
            }
        }

        var result = new List<KeyValuePair<string, Tensor>>(list.Count);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, t) in list)
        {
            if (!pairs.TryGetValue(k, out var p))
            {
                result.Add(new(k, t));
                continue;
            }
            // The folded weight takes the place of whichever of g and v came first.
            if (!done.Add(p.W)) continue;
            Tensor gt = byName[p.G], vt = byName[p.V];
            if (vt.Rank == 0 || gt.Length != vt.Dim(0))
                throw new VoxTileException($"{what}: '{p.G}' has shape {gt.ShapeString} but '{p.V}' has shape {vt.ShapeString} (weight norm needs one g per slice along axis 0)");
            result.Add(new(p.W, WeightNorm.Fold(gt, vt)));
        }
        return new StateDict(result);
    }

    /// <summary>If <paramref name="key"/> is one half of a weight-norm pair, the names of both halves and of the folded weight.</summary>
    private static bool TryPartner(string key, out string g, out string v, out string w)
    {
        foreach (var (gs, vs, ws) in Conventions)
        {
            string? stem = key.EndsWith(gs, StringComparison.Ordinal) ? key[..^gs.Length]
                : key.EndsWith(vs, StringComparison.Ordinal) ? key[..^vs.Length] : null;
            if (stem is null || !(stem.Length == 0 || stem.EndsWith('.'))) continue;
            g = stem + gs;
            v = stem + vs;
            w = stem + ws;
            return true;
        }
        g = v = w = "";
        return false;
    }

    // Old-style torch.nn.utils.weight_norm, and the parametrization form torch >= 2.1 writes.
    private static readonly (string G, string V, string W)[] Conventions =
    [
        ("weight_g", "weight_v", "weight"),
        ("parametrizations.weight.original0", "parametrizations.weight.original1", "weight"),
    ];

    /// <summary>For a missing folded weight whose pair is half present, name the half that is missing.</summary>
    private string MissingName(string key)
    {
        foreach (var (gs, vs, ws) in Conventions)
        {
            if (!key.EndsWith(ws, StringComparison.Ordinal)) continue;
            var stem = key[..^ws.Length];
            bool hasG = _tensors.ContainsKey(stem + gs), hasV = _tensors.ContainsKey(stem + vs);
            if (hasG && !hasV) return stem + vs;
            if (hasV && !hasG) return stem + gs;
        }
        return key;
    }
}
