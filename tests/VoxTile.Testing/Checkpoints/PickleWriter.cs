using System.Buffers.Binary;
using System.Text;

namespace VoxTile.Testing.Checkpoints;

/// <summary>
/// A small pickle writer for tests: emits the opcodes CPython's pickler (protocol 2, as torch.save uses, or 4) emits
/// for the objects a checkpoint holds, memoising strings and globals the way CPython does.
/// </summary>
public sealed class PickleWriter
{
    private readonly MemoryStream _s = new();
    private readonly Dictionary<string, int> _memo = new(StringComparer.Ordinal);
    private int _nextMemo;

    public int Protocol { get; }

    public PickleWriter(int protocol = 2)
    {
        Protocol = protocol;
        Op(0x80);
        _s.WriteByte((byte)protocol);
    }

    public PickleWriter Op(byte op)
    {
        _s.WriteByte(op);
        return this;
    }

    public PickleWriter Mark() => Op((byte)'(');
    public PickleWriter EmptyDict() => Op((byte)'}').Memoize();
    public PickleWriter EmptyTuple() => Op((byte)')');
    public PickleWriter Reduce() => Op((byte)'R').Memoize();
    public PickleWriter Reduce(out int memoIndex) => Op((byte)'R').Memoize(out memoIndex);
    public PickleWriter BinPersId() => Op((byte)'Q');
    public PickleWriter False() => Op(0x89);
    public PickleWriter None() => Op((byte)'N');
    public PickleWriter SetItem() => Op((byte)'s');
    public PickleWriter SetItems() => Op((byte)'u');
    public PickleWriter Build() => Op((byte)'b');
    public PickleWriter Stop() => Op((byte)'.');

    /// <summary>TUPLE1/2/3 for small tuples, MARK … TUPLE otherwise (the caller wrote the MARK when n &gt; 3).</summary>
    public PickleWriter Tuple(int n)
    {
        if (n == 0) return EmptyTuple();
        Op(n switch { 1 => 0x85, 2 => 0x86, 3 => 0x87, _ => (byte)'t' });
        return Memoize();
    }

    /// <summary>Store the top of the stack in the memo under the next index (BINPUT / LONG_BINPUT / MEMOIZE).</summary>
    public PickleWriter Memoize() => Memoize(out _);

    public PickleWriter Memoize(out int index)
    {
        index = _nextMemo++;
        if (Protocol >= 4) return Op(0x94);
        if (index < 256) { Op((byte)'q'); _s.WriteByte((byte)index); }
        else { Op((byte)'r'); WriteInt32(index); }
        return this;
    }

    public PickleWriter Get(int index)
    {
        if (index < 256) { Op((byte)'h'); _s.WriteByte((byte)index); }
        else { Op((byte)'j'); WriteInt32(index); }
        return this;
    }

    /// <summary>A str, memoised by value (CPython memoises by identity; equal literals are one object there).</summary>
    public PickleWriter Str(string s)
    {
        if (_memo.TryGetValue("s:" + s, out var i)) return Get(i);
        var bytes = Encoding.UTF8.GetBytes(s);
        if (Protocol >= 4 && bytes.Length < 256) { Op(0x8c); _s.WriteByte((byte)bytes.Length); }
        else { Op((byte)'X'); WriteInt32(bytes.Length); }
        _s.Write(bytes);
        Memoize(out i);
        _memo["s:" + s] = i;
        return this;
    }

    public PickleWriter Int(long v)
    {
        if (v is >= 0 and < 256) { Op((byte)'K'); _s.WriteByte((byte)v); }
        else if (v is >= 0 and < 65536) { Op((byte)'M'); Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); _s.Write(b); }
        else if (v is >= int.MinValue and <= int.MaxValue) { Op((byte)'J'); WriteInt32((int)v); }
        else { Op(0x8a); _s.WriteByte(8); Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, v); _s.Write(b); }
        return this;
    }

    /// <summary>A global: GLOBAL "module\nname\n" (protocol 2) or two strings + STACK_GLOBAL (protocol 4); memoised.</summary>
    public PickleWriter Global(string module, string name)
    {
        if (_memo.TryGetValue("g:" + module + "." + name, out var i)) return Get(i);
        if (Protocol >= 4)
        {
            Str(module);
            Str(name);
            Op(0x93);
        }
        else
        {
            Op((byte)'c');
            _s.Write(Encoding.UTF8.GetBytes(module + "\n" + name + "\n"));
        }
        Memoize(out i);
        _memo["g:" + module + "." + name] = i;
        return this;
    }

    public PickleWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _s.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _s.ToArray();

    private void WriteInt32(int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        _s.Write(b);
    }
}
