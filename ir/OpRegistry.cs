using System.Collections.Concurrent;

namespace VoxTile.IR;

/// <summary>Every op by its printed name; filled by the generated module initializers, read by the text parser.</summary>
public static class OpRegistry
{
    private static readonly ConcurrentDictionary<string, Func<AttributeMap, Op>> s_ops = new(StringComparer.Ordinal);

    public static void Register(string name, Func<AttributeMap, Op> factory)
    {
        if (!s_ops.TryAdd(name, factory)) throw new InvalidOperationException($"op '{name}' is declared twice");
    }

    public static bool TryCreate(string name, AttributeMap attributes, out Op? op)
    {
        op = null;
        if (!s_ops.TryGetValue(name, out var f)) return false;
        op = f(attributes);
        return true;
    }

    public static IReadOnlyCollection<string> Names => [.. s_ops.Keys.Order(StringComparer.Ordinal)];
}
