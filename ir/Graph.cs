using System.Collections.Immutable;
using VoxTile.IR.Ops.Graph;

namespace VoxTile.IR;

/// <summary>
/// An immutable function: named inputs, the values computed from them in a topological order, and the outputs.
/// The order is the post-order of a depth-first walk from the outputs, so it depends only on the structure.
/// </summary>
public sealed class Graph
{
    private Graph(string name, ImmutableArray<Node> inputs, ImmutableArray<Node> nodes, ImmutableArray<Node> outputs)
    {
        Name = name;
        Inputs = inputs;
        Nodes = nodes;
        Outputs = outputs;
    }

    public string Name { get; }
    public ImmutableArray<Node> Inputs { get; }

    /// <summary>Every value other than the inputs (weights included), each after its operands.</summary>
    public ImmutableArray<Node> Nodes { get; }
    public ImmutableArray<Node> Outputs { get; }

    public static Graph Create(string name, IEnumerable<Node> inputs, IEnumerable<Node> outputs)
    {
        var ins = inputs.ToImmutableArray();
        var outs = outputs.ToImmutableArray();
        foreach (var i in ins)
            if (i.Op is not Input) throw new ArgumentException($"graph input {i} is not an input node");
        if (ins.Select(i => i.Name).Distinct().Count() != ins.Length) throw new ArgumentException("graph inputs need distinct names");
        var inputSet = new HashSet<Node>(ins, ReferenceEqualityComparer.Instance);
        var order = new List<Node>();
        var state = new Dictionary<Node, bool>(ReferenceEqualityComparer.Instance); // false: on the stack, true: done
        var stack = new Stack<(Node Node, int Next)>();
        foreach (var root in outs)
        {
            if (state.ContainsKey(root)) continue;
            stack.Push((root, 0));
            state[root] = false;
            while (stack.Count > 0)
            {
                var (n, next) = stack.Pop();
                if (next < n.Inputs.Length)
                {
                    stack.Push((n, next + 1));
                    var c = n.Inputs[next];
                    if (state.TryGetValue(c, out var done))
                    {
                        if (!done) throw new ArgumentException("the graph has a cycle");
                        continue;
                    }
                    state[c] = false;
                    stack.Push((c, 0));
                    continue;
                }
                state[n] = true;
                if (n.Op is Input)
                {
                    if (!inputSet.Contains(n)) throw new ArgumentException($"value {n} uses input %{n.Name}, which is not among the graph's inputs");
                    continue;
                }
                order.Add(n);
            }
        }
        return new Graph(name, ins, [.. order], outs);
    }

    /// <summary>The weights of the graph in order of first use.</summary>
    public IEnumerable<Weight> Weights => Nodes.Select(n => n.Op).OfType<Weight>();

    public override string ToString() => Text.Printer.Print(this);
}
