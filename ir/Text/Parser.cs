using System.Globalization;
using VoxTile.IR.Ops.Graph;

namespace VoxTile.IR.Text;

/// <summary>
/// Reads the text form written by <see cref="Printer"/>. Every value's declared type is checked against the type
/// its op infers (dtype and shape; layout and memory placement are taken as declared). Errors name line and column.
/// Weights get their data from <c>weights</c> when given; otherwise the graph carries types only.
/// </summary>
public sealed class Parser
{
    private readonly string _src;
    private readonly Func<string, Tensor?>? _weights;
    private int _pos;
    private readonly Dictionary<string, Node> _values = new(StringComparer.Ordinal);

    private Parser(string src, Func<string, Tensor?>? weights)
    {
        _src = src;
        _weights = weights;
    }

    public static Graph Parse(string text, Func<string, Tensor?>? weights = null) => new Parser(text, weights).ParseGraph();

    /// <summary>Reads one attribute value in the printed form (<see cref="AttributeMap.Format"/>), e.g. from a device plan.</summary>
    public static object ParseAttributeValue(string text)
    {
        var p = new Parser(text, null);
        var v = p.AttrValue();
        p.SkipWs();
        if (p._pos < p._src.Length) throw p.Error("unexpected text after the attribute value");
        return v;
    }

    /// <summary>Reads a tensor type in the printed form (<c>bf16[1,192,864]{tile,l1}</c>).</summary>
    public static TensorType ParseType(string text)
    {
        var p = new Parser(text, null);
        var t = p.ParseType();
        p.SkipWs();
        if (p._pos < p._src.Length) throw p.Error("unexpected text after the type");
        return t;
    }

    private Graph ParseGraph()
    {
        Keyword("graph");
        Expect('@');
        var name = Ident();
        Expect('(');
        var inputs = new List<Node>();
        SkipWs();
        if (Peek() != ')')
        {
            do
            {
                var vn = ValueName();
                Expect(':');
                var t = ParseType();
                var input = Input.Create(Nominal(vn) ?? throw Error($"input %{vn} needs a name that starts with a letter"), t, InputAttributes());
                Define(vn, input);
                inputs.Add(input);
            } while (TryConsume(','));
        }
        Expect(')');
        Expect('{');
        while (true)
        {
            SkipWs();
            if (LookingAt("return")) break;
            ParseStatement();
        }
        Keyword("return");
        var outputs = new List<Node>();
        do outputs.Add(Use(ValueName())); while (TryConsume(','));
        Expect('}');
        SkipWs();
        if (_pos < _src.Length) throw Error("unexpected text after the graph");
        return Graph.Create(name, inputs, outputs);
    }

    private void ParseStatement()
    {
        int line = Line;
        var vn = ValueName();
        Expect('=');
        SkipWs();
        Node node;
        if (LookingAt("weight") && !LookingAt("weight."))
        {
            Keyword("weight");
            var key = StringLit();
            bool exact = WeightAttributes();
            Expect(':');
            var t = ParseType();
            Tensor? data = null;
            if (_weights is not null)
            {
                data = _weights(key) ?? throw Error($"no data for weight \"{key}\"");
                if (!t.Shape.Matches(data.Shape)) throw Error($"weight \"{key}\" is declared {t} but its data has shape {data.ShapeString}");
            }
            node = Weight.Create(key, t, data, Nominal(vn), exact);
        }
        else
        {
            var opName = OpName();
            Expect('(');
            var operands = new List<Node>();
            SkipWs();
            if (Peek() != ')')
                do operands.Add(Use(ValueName())); while (TryConsume(','));
            Expect(')');
            var attrs = new Dictionary<string, object>(StringComparer.Ordinal);
            if (TryConsume('{'))
            {
                SkipWs();
                if (Peek() != '}')
                {
                    do
                    {
                        var an = Ident();
                        Expect('=');
                        if (attrs.ContainsKey(an)) throw Error($"attribute '{an}' given twice");
                        attrs[an] = AttrValue();
                    } while (TryConsume(','));
                }
                Expect('}');
            }
            Expect(':');
            var declared = ParseType();
            Op op;
            try
            {
                if (!OpRegistry.TryCreate(opName, new AttributeMap(attrs), out var created)) throw Error($"unknown op '{opName}'");
                op = created!;
                var inferred = Node.Create(op, operands, Nominal(vn));
                if (inferred.Type.DType != declared.DType || !inferred.Type.Shape.Equals(declared.Shape))
                    throw new VoxTileException($"%{vn} is declared {declared} but {opName} infers {inferred.Type}");
                node = inferred.WithType(declared);
            }
            catch (VoxTileException e) when (!e.Message.StartsWith("line ", StringComparison.Ordinal))
            {
                throw new VoxTileException($"line {line}: {e.Message}");
            }
        }
        SkipInlineComment();
        Define(vn, node);
    }

    /// <summary>A weight's optional <c>{exact = true}</c> (its one attribute besides the key); whether it is exact.</summary>
    private bool WeightAttributes()
    {
        if (!TryConsume('{')) return false;
        var an = Ident();
        Expect('=');
        if (an != Weight.ExactAttribute) throw Error($"a weight has no attribute '{an}' (only {Weight.ExactAttribute})");
        var exact = AttrValue() as bool? ?? throw Error($"{Weight.ExactAttribute} must be true or false");
        Expect('}');
        return exact;
    }

    /// <summary>An input's optional <c>{noise_seed = N}</c> (the one attribute an input has); the seed, or null.</summary>
    private long? InputAttributes()
    {
        SkipWs();
        if (!TryConsume('{')) return null;
        long? seed = null;
        do
        {
            var an = Ident();
            Expect('=');
            if (an != Input.NoiseSeedAttribute) throw Error($"an input has no attribute '{an}' (only {Input.NoiseSeedAttribute})");
            if (seed is not null) throw Error($"attribute '{an}' given twice");
            seed = AttrValue() as long? ?? throw Error($"{Input.NoiseSeedAttribute} must be an integer");
        } while (TryConsume(','));
        Expect('}');
        return seed;
    }

    // Numeric names are positions, not names: the printer renumbers them.
    private static string? Nominal(string vn) => char.IsAsciiDigit(vn[0]) ? null : vn;

    private void Define(string vn, Node n)
    {
        if (!_values.TryAdd(vn, n)) throw Error($"%{vn} is defined twice");
    }

    private Node Use(string vn) => _values.TryGetValue(vn, out var n) ? n : throw Error($"%{vn} is used before it is defined");

    private TensorType ParseType()
    {
        SkipWs();
        var dt = Ident();
        if (!DTypeNames.TryParse(dt, out var dtype)) throw Error($"unknown dtype '{dt}'");
        Expect('[');
        var dims = new List<Dim>();
        SkipWs();
        if (Peek() != ']')
        {
            do
            {
                SkipWs();
                int start = _pos;
                while (_pos < _src.Length && (char.IsAsciiLetterOrDigit(_src[_pos]) || _src[_pos] is '_' or '?')) _pos++;
                var tok = _src[start.._pos];
                if (!Dim.TryParse(tok, out var d)) throw Error($"bad dimension '{tok}'");
                dims.Add(d);
            } while (TryConsume(','));
        }
        Expect(']');
        Layout? layout = null;
        MemoryConfig? mem = null;
        if (_pos < _src.Length && _src[_pos] == '{')
        {
            _pos++;
            do
            {
                SkipWs();
                int start = _pos;
                while (_pos < _src.Length && _src[_pos] is not (',' or '}')) _pos++;
                var tok = _src[start.._pos].Trim();
                if (tok == "tile") layout = IR.Layout.Tile;
                else if (tok == "row_major") layout = IR.Layout.RowMajor;
                else if (MemoryConfig.TryParse(tok, out var m)) mem = m;
                else throw Error($"unknown layout or memory config '{tok}'");
            } while (TryConsume(','));
            Expect('}');
        }
        return new TensorType(dtype, new Shape(dims), layout, mem);
    }

    private object AttrValue()
    {
        SkipWs();
        char c = Peek();
        if (c == '"') return StringLit();
        if (c == '[')
        {
            _pos++;
            var list = new List<object>();
            SkipWs();
            if (Peek() != ']')
                do list.Add(AttrValue()); while (TryConsume(','));
            Expect(']');
            return list;
        }
        if (char.IsAsciiDigit(c) || c is '-' or '+')
        {
            int start = _pos;
            _pos++;
            if (_src.AsSpan(_pos).StartsWith("inf")) { _pos += 3; return c == '-' ? double.NegativeInfinity : double.PositiveInfinity; }
            while (_pos < _src.Length && (char.IsAsciiDigit(_src[_pos]) || _src[_pos] is '.' or 'e' or 'E' or '-' or '+')) _pos++;
            var tok = _src[start.._pos];
            if (long.TryParse(tok, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
            if (double.TryParse(tok, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            throw Error($"bad number '{tok}'");
        }
        var id = Ident();
        return id switch
        {
            "true" => true,
            "false" => false,
            "inf" => double.PositiveInfinity,
            "nan" => double.NaN,
            _ => new AttributeMap.Identifier(id),
        };
    }

    private string StringLit()
    {
        SkipWs();
        Expect('"');
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            if (_pos >= _src.Length) throw Error("unterminated string");
            char c = _src[_pos++];
            if (c == '"') break;
            if (c == '\\')
            {
                if (_pos >= _src.Length) throw Error("unterminated string");
                char e = _src[_pos++];
                sb.Append(e switch { 'n' => '\n', '"' => '"', '\\' => '\\', _ => throw Error($"bad escape '\\{e}'") });
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private string ValueName()
    {
        Expect('%');
        int start = _pos;
        while (_pos < _src.Length && (char.IsAsciiLetterOrDigit(_src[_pos]) || _src[_pos] is '_' or '.')) _pos++;
        if (start == _pos) throw Error("expected a value name after '%'");
        return _src[start.._pos];
    }

    private string OpName()
    {
        SkipWs();
        int start = _pos;
        while (_pos < _src.Length && (char.IsAsciiLetterOrDigit(_src[_pos]) || _src[_pos] is '_' or '.')) _pos++;
        if (start == _pos) throw Error("expected an op name");
        return _src[start.._pos];
    }

    private string Ident()
    {
        SkipWs();
        int start = _pos;
        while (_pos < _src.Length && (char.IsAsciiLetterOrDigit(_src[_pos]) || _src[_pos] == '_')) _pos++;
        if (start == _pos) throw Error("expected a name");
        return _src[start.._pos];
    }

    private void SkipWs()
    {
        while (_pos < _src.Length)
        {
            if (char.IsWhiteSpace(_src[_pos])) _pos++;
            else if (_src.AsSpan(_pos).StartsWith("//")) while (_pos < _src.Length && _src[_pos] != '\n') _pos++;
            else break;
        }
    }

    private void SkipInlineComment() => SkipWs();

    private char Peek() => _pos < _src.Length ? _src[_pos] : '\0';

    private bool LookingAt(string word) => _src.AsSpan(_pos).StartsWith(word, StringComparison.Ordinal);

    private void Keyword(string word)
    {
        SkipWs();
        if (!LookingAt(word)) throw Error($"expected '{word}'");
        _pos += word.Length;
    }

    private void Expect(char c)
    {
        SkipWs();
        if (Peek() != c) throw Error($"expected '{c}'" + (_pos < _src.Length ? $" but found '{_src[_pos]}'" : " but the text ended"));
        _pos++;
    }

    private bool TryConsume(char c)
    {
        SkipWs();
        if (Peek() != c) return false;
        _pos++;
        return true;
    }

    private int Line => _src.AsSpan(0, Math.Min(_pos, _src.Length)).Count('\n') + 1;

    private VoxTileException Error(string message)
    {
        int line = Line;
        int col = _pos - (_src.LastIndexOf('\n', Math.Max(0, Math.Min(_pos, _src.Length) - 1)) + 1) + 1;
        return new VoxTileException($"line {line}:{col}: {message}");
    }
}
