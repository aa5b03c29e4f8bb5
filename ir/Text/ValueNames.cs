using VoxTile.IR.Ops.Graph;

namespace VoxTile.IR.Text;

/// <summary>
/// The names the text form gives values: a node's own name, made unique with <c>_k</c>, else the next free number, in
/// the order names are asked for. The printer, the device plan's tensor names and the dump views all name through it, so
/// a plan's tensors and a filtered dump say what the printed graph says.
/// </summary>
public sealed class ValueNames
{
    private readonly Dictionary<Node, string> _names = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>Sets <paramref name="n"/>'s name before any other is given (an output's); a node named already keeps its name.</summary>
    public void Reserve(Node n, string wanted)
    {
        if (!_names.ContainsKey(n)) _names[n] = Unique(wanted);
    }

    public string Of(Node n)
    {
        if (_names.TryGetValue(n, out var s)) return s;
        if (n.Name is { } wanted) s = Unique(wanted);
        else
        {
            do s = (_counter++).ToString(System.Globalization.CultureInfo.InvariantCulture); while (_used.Contains(s));
            _used.Add(s);
        }
        return _names[n] = s;
    }

    private string Unique(string wanted)
    {
        var s = wanted;
        for (int k = 1; _used.Contains(s); k++) s = $"{wanted}_{k}";
        _used.Add(s);
        return s;
    }
}
