using System.Collections;
using System.Collections.Immutable;

namespace VoxTile.IR;

/// <summary>An immutable list of <see cref="Dim"/> with value equality; printed as <c>[1,513,T]</c>.</summary>
public sealed class Shape : IEquatable<Shape>, IReadOnlyList<Dim>
{
    private readonly ImmutableArray<Dim> _dims;

    public Shape(IEnumerable<Dim> dims) => _dims = [.. dims];
    public Shape(params int[] dims) => _dims = [.. dims.Select(Dim.Of)];

    public static Shape Scalar { get; } = new(Array.Empty<int>());

    public int Rank => _dims.Length;
    public int Count => _dims.Length;
    public Dim this[int axis] => _dims[axis < 0 ? axis + _dims.Length : axis];

    public bool IsFixed => _dims.All(d => d.IsFixed);

    /// <summary>The sizes when every dim is fixed.</summary>
    public int[] ToArray() => IsFixed ? [.. _dims.Select(d => d.Value)] : throw new InvalidOperationException($"shape {this} is not fixed");

    public Shape With(int axis, Dim d)
    {
        axis = axis < 0 ? axis + Rank : axis;
        return new(_dims.SetItem(axis, d));
    }

    /// <summary>Whether a runtime shape fits this (possibly symbolic) shape.</summary>
    public bool Matches(ReadOnlySpan<int> actual)
    {
        if (actual.Length != Rank) return false;
        for (int i = 0; i < Rank; i++)
            if (_dims[i].IsFixed && _dims[i].Value != actual[i]) return false;
        return true;
    }

    public bool Compatible(Shape other) => Rank == other.Rank && _dims.Zip(other._dims).All(p => p.First.Compatible(p.Second));

    public bool Equals(Shape? other) => other is not null && _dims.SequenceEqual(other._dims);
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    public IEnumerator<Dim> GetEnumerator() => ((IEnumerable<Dim>)_dims).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "[" + string.Join(",", _dims) + "]";

    public static implicit operator Shape(int[] dims) => new(dims);
}
