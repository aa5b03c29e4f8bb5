using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VoxTile.IR.Generator;

/// <summary>
/// For every class marked <c>[Op("dialect.name", operands…)]</c> writes: its name and operand list, its attributes
/// (every property marked <c>[Attr]</c>, snake_case, sorted; a C# <c>required</c> one is positional in the builder), <c>FromAttributes</c> for the text parser, a builder
/// on the dialect's static class (<c>Nn.Conv1d(x, w, b, padding: 2)</c>), and a module initializer that registers
/// the op with <c>OpRegistry</c>. Adding an op is one file.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class OpGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var ops = context.SyntaxProvider.ForAttributeWithMetadataName(
            "VoxTile.IR.OpAttribute",
            static (node, _) => node is ClassDeclarationSyntax,
            static (ctx, _) => OpModel.From((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0]))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!);

        context.RegisterSourceOutput(ops, static (spc, op) => spc.AddSource(op.HintName + ".g.cs", op.EmitPartial()));
        context.RegisterSourceOutput(ops.Collect(), static (spc, all) =>
        {
            if (all.IsDefaultOrEmpty) return;
            spc.AddSource("OpRegistration.g.cs", OpModel.EmitRegistration(all));
            foreach (var group in all.GroupBy(o => o.DialectClass))
                spc.AddSource(group.Key + ".Builders.g.cs", OpModel.EmitBuilders(group.Key, group.OrderBy(o => o.ClassName, StringComparer.Ordinal)));
        });
    }
}

internal sealed class AttrModel : IEquatable<AttrModel>
{
    public string Property = "";
    public string TextName = "";
    public string Type = "";
    public bool Required;
    public bool OmitDefault;

    public bool Equals(AttrModel? o) => o is not null && o.Property == Property && o.Type == Type && o.Required == Required && o.OmitDefault == OmitDefault;
    public override bool Equals(object? obj) => Equals(obj as AttrModel);
    public override int GetHashCode() => Property.GetHashCode() ^ Type.GetHashCode();
}

internal sealed class OperandModel : IEquatable<OperandModel>
{
    public string Name = "";
    public string Kind = "Required"; // Required | Optional | Variadic

    public bool Equals(OperandModel? o) => o is not null && o.Name == Name && o.Kind == Kind;
    public override bool Equals(object? obj) => Equals(obj as OperandModel);
    public override int GetHashCode() => Name.GetHashCode() ^ Kind.GetHashCode();
}

internal sealed class OpModel : IEquatable<OpModel>
{
    public string Namespace = "";
    public string ClassName = "";
    public string FullName = "";
    public string OpName = "";
    public string DialectClass = "";
    public OperandModel[] Operands = Array.Empty<OperandModel>();
    public AttrModel[] Attrs = Array.Empty<AttrModel>();

    public string HintName => FullName.Replace("global::", "").Replace('.', '_');

    public static OpModel? From(INamedTypeSymbol type, AttributeData attr)
    {
        if (attr.ConstructorArguments.Length == 0 || attr.ConstructorArguments[0].Value is not string name) return null;
        var operands = new List<OperandModel>();
        if (attr.ConstructorArguments.Length > 1)
        {
            foreach (var a in attr.ConstructorArguments[1].Values)
            {
                var s = (string)a.Value!;
                var m = new OperandModel();
                if (s.EndsWith("?")) { m.Name = s.Substring(0, s.Length - 1); m.Kind = "Optional"; }
                else if (s.EndsWith("*")) { m.Name = s.Substring(0, s.Length - 1); m.Kind = "Variadic"; }
                else m.Name = s;
                operands.Add(m);
            }
        }
        var attrs = new List<AttrModel>();
        foreach (var member in type.GetMembers().OfType<IPropertySymbol>())
        {
            var attrData = member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "VoxTile.IR.AttrAttribute");
            if (attrData is null) continue;
            attrs.Add(new AttrModel
            {
                Property = member.Name,
                TextName = Snake(member.Name),
                Type = member.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                Required = member.IsRequired,
                OmitDefault = attrData.NamedArguments.Any(n => n.Key == "OmitDefault" && n.Value.Value is true),
            });
        }
        attrs.Sort((a, b) => string.CompareOrdinal(a.TextName, b.TextName));
        var dialect = name.Contains(".") ? name.Substring(0, name.IndexOf('.')) : "core";
        return new OpModel
        {
            Namespace = type.ContainingNamespace.ToDisplayString(),
            ClassName = type.Name,
            FullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            OpName = name,
            DialectClass = char.ToUpperInvariant(dialect[0]) + dialect.Substring(1),
            Operands = operands.ToArray(),
            Attrs = attrs.ToArray(),
        };
    }

    private static string Snake(string pascal)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1])))) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static string Camel(string s)
    {
        var c = char.ToLowerInvariant(s[0]) + s.Substring(1);
        return c switch { "params" or "base" or "in" or "out" or "default" or "checked" or "operator" or "event" or "fixed" => "@" + c, _ => c };
    }

    public string EmitPartial()
    {
        var sb = new StringBuilder();
        sb.AppendLine("// <auto-generated>by VoxTile.IR.Generator.OpGenerator</auto-generated>");
        sb.AppendLine("#nullable enable");
        sb.AppendLine($"namespace {Namespace};");
        sb.AppendLine();
        sb.AppendLine($"partial class {ClassName}");
        sb.AppendLine("{");
        sb.AppendLine($"    public const string OpName = \"{OpName}\";");
        sb.AppendLine($"    private static readonly {ClassName} s_defaults = new() {{ {string.Join(", ", Attrs.Where(a => a.Required).Select(a => $"{a.Property} = default!"))} }};");
        sb.AppendLine("    private static readonly global::VoxTile.IR.OperandSpec[] s_operands =");
        sb.AppendLine("    [");
        foreach (var o in Operands)
            sb.AppendLine($"        new(\"{o.Name}\", global::VoxTile.IR.OperandKind.{o.Kind}),");
        sb.AppendLine("    ];");
        sb.AppendLine();
        foreach (var a in Attrs.Where(a => !a.Required))
            sb.AppendLine($"    internal static {a.Type} Default{a.Property} => s_defaults.{a.Property};");
        sb.AppendLine("    public override string Name => OpName;");
        sb.AppendLine("    public override global::System.Collections.Generic.IReadOnlyList<global::VoxTile.IR.OperandSpec> Operands => s_operands;");
        sb.AppendLine();
        sb.AppendLine("    public override global::System.Collections.Generic.IReadOnlyList<global::System.Collections.Generic.KeyValuePair<string, object>> Attributes");
        sb.AppendLine("    {");
        sb.AppendLine("        get");
        sb.AppendLine("        {");
        sb.AppendLine($"            var a = new global::System.Collections.Generic.List<global::System.Collections.Generic.KeyValuePair<string, object>>({Attrs.Length});");
        foreach (var a in Attrs)
            sb.AppendLine(a.OmitDefault
                ? $"            if (!global::System.Collections.Generic.EqualityComparer<{a.Type}>.Default.Equals({a.Property}, s_defaults.{a.Property})) a.Add(new(\"{a.TextName}\", {a.Property}));"
                : $"            a.Add(new(\"{a.TextName}\", {a.Property}));");
        sb.AppendLine("            return a;");
        sb.AppendLine("        }");
        sb.AppendLine("    }");
        sb.AppendLine();
        sb.AppendLine($"    /// <summary>Rebuilds the op from its printed attributes (the text parser's entry).</summary>");
        sb.AppendLine($"    public static {ClassName} FromAttributes(global::VoxTile.IR.AttributeMap a)");
        sb.AppendLine("    {");
        sb.AppendLine($"        a.ExpectOnly(OpName, [{string.Join(", ", Attrs.Select(x => "\"" + x.TextName + "\""))}]);");
        sb.AppendLine($"        return new {ClassName}");
        sb.AppendLine("        {");
        foreach (var a in Attrs)
            sb.AppendLine(a.Required
                ? $"            {a.Property} = a.GetRequired<{a.Type}>(OpName, \"{a.TextName}\"),"
                : $"            {a.Property} = a.Get<{a.Type}>(OpName, \"{a.TextName}\", s_defaults.{a.Property}),");
        sb.AppendLine("        };");
        sb.AppendLine("    }");
        sb.AppendLine("}");
        return sb.ToString();
    }

    public static string EmitBuilders(string dialectClass, IEnumerable<OpModel> ops)
    {
        var sb = new StringBuilder();
        sb.AppendLine("// <auto-generated>by VoxTile.IR.Generator.OpGenerator</auto-generated>");
        sb.AppendLine("#nullable enable");
        sb.AppendLine("namespace VoxTile.IR;");
        sb.AppendLine();
        sb.AppendLine($"/// <summary>Builders for the <c>{dialectClass.ToLowerInvariant()}.*</c> ops: each creates a node and infers its type.</summary>");
        sb.AppendLine($"public static partial class {dialectClass}");
        sb.AppendLine("{");
        foreach (var op in ops)
        {
            var pars = new List<string>();
            var required = op.Operands.Where(o => o.Kind != "Optional").ToList();
            foreach (var o in required)
                pars.Add(o.Kind == "Variadic"
                    ? $"global::System.Collections.Generic.IReadOnlyList<global::VoxTile.IR.Node> {Camel(o.Name)}"
                    : $"global::VoxTile.IR.Node {Camel(o.Name)}");
            foreach (var a in op.Attrs.Where(a => a.Required)) pars.Add($"{a.Type} {Camel(a.Property)}");
            foreach (var o in op.Operands.Where(o => o.Kind == "Optional")) pars.Add($"global::VoxTile.IR.Node? {Camel(o.Name)} = null");
            foreach (var a in op.Attrs.Where(a => !a.Required))
                pars.Add($"{a.Type}{(a.Type.EndsWith("?") ? "" : "?")} {Camel(a.Property)} = null");
            pars.Add("string? name = null");
            sb.AppendLine($"    /// <summary>Creates a <c>{op.OpName}</c> node.</summary>");
            sb.AppendLine($"    public static global::VoxTile.IR.Node {op.ClassName}({string.Join(", ", pars)})");
            sb.AppendLine("    {");
            sb.AppendLine($"        var op = new {op.FullName}");
            sb.AppendLine("        {");
            foreach (var a in op.Attrs)
                sb.AppendLine(a.Required
                    ? $"            {a.Property} = {Camel(a.Property)},"
                    : $"            {a.Property} = {Camel(a.Property)} ?? {op.FullName}.Default{a.Property},");
            sb.AppendLine("        };");
            sb.AppendLine("        var operands = new global::System.Collections.Generic.List<global::VoxTile.IR.Node>();");
            foreach (var o in op.Operands)
            {
                var n = Camel(o.Name);
                sb.AppendLine(o.Kind switch
                {
                    "Variadic" => $"        operands.AddRange({n});",
                    "Optional" => $"        if ({n} is not null) operands.Add({n});",
                    _ => $"        operands.Add({n});",
                });
            }
            sb.AppendLine("        return global::VoxTile.IR.Node.Create(op, operands, name);");
            sb.AppendLine("    }");
            sb.AppendLine();
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    public static string EmitRegistration(ImmutableArray<OpModel> all)
    {
        var sb = new StringBuilder();
        sb.AppendLine("// <auto-generated>by VoxTile.IR.Generator.OpGenerator</auto-generated>");
        sb.AppendLine("#nullable enable");
        sb.AppendLine("#pragma warning disable CA2255");
        sb.AppendLine("namespace VoxTile.IR.Generated;");
        sb.AppendLine();
        sb.AppendLine("internal static class OpRegistration");
        sb.AppendLine("{");
        sb.AppendLine("    [global::System.Runtime.CompilerServices.ModuleInitializer]");
        sb.AppendLine("    internal static void Register()");
        sb.AppendLine("    {");
        foreach (var op in all.OrderBy(o => o.OpName, StringComparer.Ordinal))
            sb.AppendLine($"        global::VoxTile.IR.OpRegistry.Register({op.FullName}.OpName, {op.FullName}.FromAttributes);");
        sb.AppendLine("    }");
        sb.AppendLine("}");
        return sb.ToString();
    }

    public bool Equals(OpModel? o) => o is not null && o.FullName == FullName && o.OpName == OpName
        && o.Operands.SequenceEqual(Operands) && o.Attrs.SequenceEqual(Attrs);
    public override bool Equals(object? obj) => Equals(obj as OpModel);
    public override int GetHashCode() => FullName.GetHashCode();
}
