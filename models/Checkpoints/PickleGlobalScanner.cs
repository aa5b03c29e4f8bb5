using System.Buffers.Binary;
using System.Text;
using VoxTile.IR;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// Walks a pickle's opcodes without running it and refuses every global outside the allow-list. Razorvine turns an
/// unknown global into a harmless ClassDict instead of failing, so the reader must enforce the list itself: a checkpoint
/// may only describe tensors, and one that names anything else (os.system, builtins.eval, a model class) is rejected
/// before a single object is built.
/// </summary>
internal static class PickleGlobalScanner
{
    /// <summary>"module.name" of every global a plain state dict (or a VITS training checkpoint) needs.</summary>
    public static readonly IReadOnlySet<string> Allowed = BuildAllowed();

    private static HashSet<string> BuildAllowed()
    {
        var set = new HashSet<string>(StringComparer.Ordinal)
        {
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter",
        };
        foreach (var storage in TorchStorageType.Known.Keys) set.Add("torch." + storage);
        return set;
    }

    /// <summary>Throws a one-line <see cref="VoxTileException"/> prefixed with <paramref name="what"/> on a forbidden global or malformed data.</summary>
    public static void EnsureOnlyAllowed(ReadOnlySpan<byte> pickle, string what)
    {
        // STACK_GLOBAL (protocol 4) takes module and name from the stack. Python's pickler always pushes them as two
        // strings (literal or memo fetch) right before it, so we track the run of string pushes since the last other
        // opcode and refuse anything we cannot name: failing closed is the point.
        var recentStrings = new List<string>();
        var memo = new Dictionary<long, string?>();
        int pos = 0;
        while (true)
        {
            if (pos >= pickle.Length) throw Truncated(what);
            byte op = pickle[pos++];
            string? pushedString = null;
            bool keepsStrings = false;
            switch (op)
            {
                // No argument.
                case (byte)'(': case (byte)'0': case (byte)'1': case (byte)'2': case (byte)'N': case (byte)'R':
                case (byte)'a': case (byte)'b': case (byte)'d': case (byte)'}': case (byte)'e': case (byte)'l':
                case (byte)']': case (byte)'o': case (byte)'s': case (byte)'t': case (byte)')': case (byte)'u':
                case (byte)'Q': case 0x81: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8f:
                case 0x90: case 0x91: case 0x92: case 0x97: case 0x98:
                    break;
                case (byte)'.':
                    return;
                case 0x94: // MEMOIZE: memo[len(memo)] = top of stack
                    memo[memo.Count] = recentStrings.Count > 0 ? recentStrings[^1] : null;
                    keepsStrings = true;
                    break;
                case 0x95: // FRAME: only framing, the stack is untouched
                    Skip(pickle, ref pos, 8, what);
                    keepsStrings = true;
                    break;
                // Newline-terminated arguments.
                case (byte)'I': case (byte)'L': case (byte)'F': case (byte)'S': case (byte)'P':
                    ReadLine(pickle, ref pos, what);
                    break;
                case (byte)'V':
                    pushedString = ReadLine(pickle, ref pos, what);
                    break;
                case (byte)'g':
                    pushedString = MemoGet(memo, ParseIndex(ReadLine(pickle, ref pos, what), what));
                    break;
                case (byte)'p':
                    memo[ParseIndex(ReadLine(pickle, ref pos, what), what)] = recentStrings.Count > 0 ? recentStrings[^1] : null;
                    keepsStrings = true;
                    break;
                case (byte)'c': // GLOBAL module\nname\n
                case (byte)'i': // INST module\nname\n
                {
                    var module = ReadLine(pickle, ref pos, what);
                    var name = ReadLine(pickle, ref pos, what);
                    Check(module, name, what);
                    break;
                }
                case 0x93: // STACK_GLOBAL
                    if (recentStrings.Count < 2)
                        throw new VoxTileException($"{what}: forbidden pickle global (STACK_GLOBAL with operands that are not plain strings; only tensors may be loaded)");
                    Check(recentStrings[^2], recentStrings[^1], what);
                    break;
                case 0x82: case 0x83: case 0x84: // EXT1/2/4 name a global through the copyreg registry
                    throw new VoxTileException($"{what}: forbidden pickle opcode EXT (globals from the extension registry; only tensors may be loaded)");
                // Fixed-size arguments.
                case (byte)'K': case 0x80: Skip(pickle, ref pos, 1, what); break;
                case (byte)'M': Skip(pickle, ref pos, 2, what); break;
                case (byte)'J': Skip(pickle, ref pos, 4, what); break;
                case (byte)'G': Skip(pickle, ref pos, 8, what); break;
                case (byte)'h':
                    pushedString = MemoGet(memo, Fixed(pickle, ref pos, 1, what));
                    break;
                case (byte)'j':
                    pushedString = MemoGet(memo, Fixed(pickle, ref pos, 4, what));
                    break;
                case (byte)'q':
                    memo[Fixed(pickle, ref pos, 1, what)] = recentStrings.Count > 0 ? recentStrings[^1] : null;
                    keepsStrings = true;
                    break;
                case (byte)'r':
                    memo[Fixed(pickle, ref pos, 4, what)] = recentStrings.Count > 0 ? recentStrings[^1] : null;
                    keepsStrings = true;
                    break;
                // Length-prefixed arguments.
                case (byte)'X': pushedString = Utf8(Counted(pickle, ref pos, 4, what)); break;
                case 0x8c: pushedString = Utf8(Counted(pickle, ref pos, 1, what)); break;
                case 0x8d: pushedString = Utf8(Counted(pickle, ref pos, 8, what)); break;
                case (byte)'T': case (byte)'B': case 0x8b: Counted(pickle, ref pos, 4, what); break;
                case (byte)'U': case (byte)'C': case 0x8a: Counted(pickle, ref pos, 1, what); break;
                case 0x8e: case 0x96: Counted(pickle, ref pos, 8, what); break;
                default:
                    throw new VoxTileException($"{what}: malformed pickle data (unknown opcode 0x{op:x2} at byte {pos - 1})");
            }
            if (pushedString is not null) recentStrings.Add(pushedString);
            else if (!keepsStrings) recentStrings.Clear();
        }
    }

    private static void Check(string module, string name, string what)
    {
        var full = module + "." + name;
        if (!Allowed.Contains(full))
            throw new VoxTileException($"{what}: forbidden pickle global '{FileText.Printable(full)}' (only tensors may be loaded)");
    }


    private static string? MemoGet(Dictionary<long, string?> memo, long index) =>
        memo.TryGetValue(index, out var s) ? s : null;

    private static VoxTileException Truncated(string what) => new($"{what}: truncated pickle data");

    private static void Skip(ReadOnlySpan<byte> p, ref int pos, int n, string what)
    {
        if (p.Length - pos < n) throw Truncated(what);
        pos += n;
    }

    private static long Fixed(ReadOnlySpan<byte> p, ref int pos, int n, string what)
    {
        if (p.Length - pos < n) throw Truncated(what);
        long v = n == 1 ? p[pos] : BinaryPrimitives.ReadInt32LittleEndian(p.Slice(pos, 4));
        pos += n;
        return v;
    }

    private static ReadOnlySpan<byte> Counted(ReadOnlySpan<byte> p, ref int pos, int lengthBytes, string what)
    {
        if (p.Length - pos < lengthBytes) throw Truncated(what);
        long len = lengthBytes switch
        {
            1 => p[pos],
            4 => BinaryPrimitives.ReadInt32LittleEndian(p.Slice(pos, 4)),
            _ => BinaryPrimitives.ReadInt64LittleEndian(p.Slice(pos, 8)),
        };
        pos += lengthBytes;
        if (len < 0 || len > p.Length - pos) throw Truncated(what);
        var s = p.Slice(pos, (int)len);
        pos += (int)len;
        return s;
    }

    private static string ReadLine(ReadOnlySpan<byte> p, ref int pos, string what)
    {
        int nl = p[pos..].IndexOf((byte)'\n');
        if (nl < 0) throw Truncated(what);
        var s = Encoding.UTF8.GetString(p.Slice(pos, nl));
        pos += nl + 1;
        return s;
    }

    private static long ParseIndex(string s, string what) =>
        long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new VoxTileException($"{what}: malformed pickle data (bad memo index '{FileText.Printable(s)}')");

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
