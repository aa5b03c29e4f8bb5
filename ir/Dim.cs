namespace VoxTile.IR;

/// <summary>
/// One dimension of a tensor type: a known size, a multiple of a named symbol (frames <c>T</c>, <c>8T</c> after an
/// 8× upsampling), or unknown (<c>?</c>) where no such form exists (a stride-2 conv of a symbolic length).
/// </summary>
public readonly record struct Dim
{
    private Dim(int value, string? symbol, int scale)
    {
        Value = value;
        Symbol = symbol;
        Scale = scale;
    }

    /// <summary>The size when <see cref="IsFixed"/>; otherwise 0.</summary>
    public int Value { get; }

    /// <summary>The symbol name for symbolic dims, "?" for unknown, null for fixed.</summary>
    public string? Symbol { get; }

    /// <summary>Multiplier of the symbol (1 for a plain symbol).</summary>
    public int Scale { get; }

    public bool IsFixed => Symbol is null;
    public bool IsUnknown => Symbol == "?";
    public bool IsSymbolic => Symbol is not null && Symbol != "?";

    public static Dim Of(int value) => value >= 0 ? new(value, null, 1) : throw new ArgumentOutOfRangeException(nameof(value));
    public static Dim Sym(string name, int scale = 1) => new(0, name, scale);
    public static Dim Unknown => new(0, "?", 1);

    public static implicit operator Dim(int value) => Of(value);

    /// <summary>This dim times a positive integer; symbolic dims keep their symbol.</summary>
    public Dim Times(int k) => IsFixed ? Of(Value * k) : IsUnknown ? Unknown : Sym(Symbol!, Scale * k);

    /// <summary>The result of <c>f</c> on fixed sizes; unknown otherwise unless <paramref name="preserves"/> says the op keeps the size.</summary>
    public Dim Map(Func<int, int> f, bool preserves = false) => IsFixed ? Of(f(Value)) : preserves ? this : Unknown;

    /// <summary>Whether two dims can describe the same runtime size.</summary>
    public bool Compatible(Dim other) => IsUnknown || other.IsUnknown || this == other;

    public override string ToString() => IsFixed ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Scale == 1 ? Symbol! : $"{Scale}{Symbol}";

    public static bool TryParse(string s, out Dim d)
    {
        d = default;
        if (s == "?") { d = Unknown; return true; }
        int i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == s.Length)
        {
            if (!int.TryParse(s, out var v)) return false;
            d = Of(v);
            return true;
        }
        if (!char.IsAsciiLetter(s[i]) && s[i] != '_') return false;
        for (int j = i; j < s.Length; j++) if (!char.IsAsciiLetterOrDigit(s[j]) && s[j] != '_') return false;
        int scale = i == 0 ? 1 : int.Parse(s[..i], System.Globalization.CultureInfo.InvariantCulture);
        if (scale <= 0) return false;
        d = Sym(s[i..], scale);
        return true;
    }
}
