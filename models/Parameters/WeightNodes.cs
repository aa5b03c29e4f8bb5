using VoxTile.IR;
using VoxTile.IR.Ops.Graph;

namespace VoxTile.Models.Parameters;

/// <summary>Turns parameters into graph weight nodes, one node per key, so a weight used twice is one value.</summary>
public sealed class WeightNodes(IParameterSource source)
{
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);

    public IParameterSource Source { get; } = source;

    public Node this[string key, params int[] shape] => Get(key, shape);

    public Node Get(string key, int[] shape, WeightInit init = WeightInit.FanIn, int fanIn = 0)
    {
        if (_nodes.TryGetValue(key, out var n)) return n;
        n = Weight.Create(key, Source.Get(key, shape, init, fanIn), NodeName(key));
        _nodes[key] = n;
        return n;
    }

    public bool Contains(string key) => Source.Contains(key);

    // Value names follow checkpoint keys, which are valid names once indices are prefixed ("ups.0" → "ups._0" is not needed: '.' is allowed).
    private static string NodeName(string key) => char.IsAsciiDigit(key[0]) ? "w" + key : key;
}
