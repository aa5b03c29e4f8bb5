using System.Text.Json;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>
/// The emitter prints <c>ttnn.&lt;name&gt;(…, &lt;attr&gt;=…)</c>: every ttnn op name, attribute name and operand name
/// must be a function and a parameter of the real ttnn Python API (../shared/spec/ttnn-api.json, read from the
/// tt-metal bindings). Skipped, with the reason, where that file is absent.
/// </summary>
public sealed class TtnnApiTests
{
    /// <summary>
    /// Attributes that are VoxTile's own and never printed as ttnn keywords, each with its reason. Empty today: every
    /// attribute is a ttnn keyword (conv1d's <c>padding</c> is ttnn's <c>int | (left, right)</c>, not a second
    /// <c>padding_right</c> attribute). Add an entry only with the reason the emitter drops or rewrites it.
    /// </summary>
    private static readonly Dictionary<(string Op, string Attr), string> VoxTileOnly = [];

    internal static string? ApiPath
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("VOXTILE_TTNN_API");
            if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "VoxTile.slnx")))
                {
                    var p = Path.Combine(dir.FullName, "..", "shared", "spec", "ttnn-api.json");
                    return File.Exists(p) ? Path.GetFullPath(p) : null;
                }
            return null;
        }
    }

    /// <summary>Every keyword a function takes, over all of its overloads.</summary>
    private static Dictionary<string, HashSet<string>> Functions()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ApiPath!));
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var f in doc.RootElement.GetProperty("functions").EnumerateObject())
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (f.Value.TryGetProperty("params", out var ps))
                foreach (var p in ps.EnumerateArray()) names.Add(p.GetProperty("name").GetString()!);
            if (f.Value.TryGetProperty("all_keyword_names", out var all))
                foreach (var k in all.EnumerateArray()) names.Add(k.GetString()!);
            result[f.Name] = names;
        }
        return result;
    }

    [TtnnApiFact]
    public void OpNamesAttributesAndOperandsAreTtnnKeywords()
    {
        var functions = Functions();
        var problems = new List<string>();
        foreach (var n in TtnnCatalog.Build().Samples)
        {
            var op = n.Op;
            if (!functions.TryGetValue(op.Name, out var keywords)) { problems.Add($"{op.Name} is not a ttnn function"); continue; }
            foreach (var a in op.Attributes)
                if (!keywords.Contains(a.Key) && !VoxTileOnly.ContainsKey((op.Name, a.Key)))
                    problems.Add($"{op.Name}: attribute '{a.Key}' is not a keyword of {op.Name} ({string.Join(", ", keywords.Order())})");
            foreach (var o in op.Operands)
                if (!keywords.Contains(o.Name)) problems.Add($"{op.Name}: operand '{o.Name}' is not a parameter of {op.Name}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [TtnnApiFact]
    public void TheExceptionListNamesOnlyRealAttributes()
    {
        var attrs = TtnnCatalog.Build().Samples.SelectMany(n => n.Op.Attributes.Select(a => (n.Op.Name, a.Key))).ToHashSet();
        foreach (var (key, reason) in VoxTileOnly)
        {
            Assert.Contains(key, attrs);
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }
    }

    [TtnnApiFact]
    public void DtypeAttributesPrintAsTtnnDtypeNames()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ApiPath!));
        var aliases = doc.RootElement.GetProperty("enums").GetProperty("ttnn.DataType").GetProperty("module_aliases")
            .EnumerateObject().Select(p => p.Name["ttnn.".Length..]).ToHashSet();
        foreach (var t in Enum.GetValues<VoxTile.IR.Ops.Ttnn.TtnnDataType>())
            Assert.Contains(AttributeMap.Format(t), aliases);
    }
}

/// <summary>A fact skipped with the reason when ../shared/spec/ttnn-api.json is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TtnnApiFactAttribute : FactAttribute
{
    public TtnnApiFactAttribute()
    {
        if (TtnnApiTests.ApiPath is null) Skip = "ttnn-api.json not found: ../shared/spec/ttnn-api.json beside the repository (or VOXTILE_TTNN_API) is absent";
    }
}
