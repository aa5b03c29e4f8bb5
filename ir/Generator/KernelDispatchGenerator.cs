using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace VoxTile.IR.Generator;

/// <summary>
/// Writes the CPU runtime's kernel dispatch from the ops' own declarations. Runs in a compilation that declares
/// <c>BindsKernelAttribute</c> (the runtime) and reads the referenced IR assembly: for every op class marked
/// <c>[Kernel("vt_unary", "VT_UNARY_OP_TANH")]</c> a case that calls <c>Bind(site, VtUnaryOp.Tanh)</c> on the runtime
/// class marked <c>[BindsKernel("vt_unary")]</c>, plus its <c>Refuses(site)</c> when the class declares one. A symbol
/// the generated bindings (<c>VtNative</c>) do not import, a symbol no runtime class binds, or a code the bindings'
/// enum lacks is a compile error here, so a plan can never meet an op whose kernel was misnamed.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KernelDispatchGenerator : IIncrementalGenerator
{
    private const string BindsKernel = "VoxTile.Runtime.Execution.Kernels.BindsKernelAttribute";
    private const string Kernel = "VoxTile.IR.Ops.Ttnn.KernelAttribute";
    private const string Op = "VoxTile.IR.OpAttribute";
    private const string Bindings = "VoxTile.Runtime.Native.VtNative";

    private static readonly DiagnosticDescriptor UnknownSymbol = new("VTK001", "Kernel symbol not in the bindings",
        "{0} ({1}) runs on {2}, which voxtile_kernels.h does not declare (no [LibraryImport] of it in {3})", "VoxTile.Kernels", DiagnosticSeverity.Error, true);
    private static readonly DiagnosticDescriptor NoBinder = new("VTK002", "No runtime kernel binds the symbol",
        "{0} ({1}) runs on {2}, but no runtime kernel class is marked [BindsKernel(\"{2}\")]", "VoxTile.Kernels", DiagnosticSeverity.Error, true);
    private static readonly DiagnosticDescriptor BadBind = new("VTK003", "Kernel class has no usable Bind",
        "{0}: {1}", "VoxTile.Kernels", DiagnosticSeverity.Error, true);
    private static readonly DiagnosticDescriptor UnknownCode = new("VTK004", "Kernel code not in the bindings",
        "{0} ({1}) runs on {2} with code {3}, which the bindings' {4} does not have{5}", "VoxTile.Kernels", DiagnosticSeverity.Error, true);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var model = context.CompilationProvider.Select(static (c, _) => DispatchModel.From(c));
        context.RegisterSourceOutput(model, static (spc, m) =>
        {
            if (m is null) return;
            foreach (var d in m.Errors) spc.ReportDiagnostic(Diagnostic.Create(d.Descriptor, Location.None, d.Args));
            spc.AddSource("KernelDispatch.g.cs", m.Emit());
        });
    }

    internal sealed class Error(DiagnosticDescriptor descriptor, params object[] args) : IEquatable<Error>
    {
        public DiagnosticDescriptor Descriptor { get; } = descriptor;
        public object[] Args { get; } = args;
        public bool Equals(Error? o) => o is not null && o.Descriptor.Id == Descriptor.Id && o.Args.SequenceEqual(Args);
        public override bool Equals(object? obj) => Equals(obj as Error);
        public override int GetHashCode() => Descriptor.Id.GetHashCode();
    }

    /// <summary>One op's dispatch case: <c>case Op =&gt; Binder.Bind(site[, Enum.Member])</c>.</summary>
    internal sealed class Case(string opName, string opType, string symbol, string binder, string? code, bool refuses) : IEquatable<Case>
    {
        public string OpName { get; } = opName;
        public string OpType { get; } = opType;
        public string Symbol { get; } = symbol;
        public string Binder { get; } = binder;
        public string? Code { get; } = code;
        public bool Refuses { get; } = refuses;
        public bool Equals(Case? o) => o is not null && o.OpName == OpName && o.OpType == OpType && o.Symbol == Symbol && o.Binder == Binder && o.Code == Code && o.Refuses == Refuses;
        public override bool Equals(object? obj) => Equals(obj as Case);
        public override int GetHashCode() => OpName.GetHashCode();
    }

    internal sealed class DispatchModel : IEquatable<DispatchModel>
    {
        public string Namespace = "";
        public Case[] Cases = Array.Empty<Case>();
        public Error[] Errors = Array.Empty<Error>();

        public static DispatchModel? From(Compilation c)
        {
            var bindsKernel = c.GetTypeByMetadataName(BindsKernel);
            var kernel = c.GetTypeByMetadataName(Kernel);
            if (bindsKernel is null || kernel is null || !SymbolEqualityComparer.Default.Equals(bindsKernel.ContainingAssembly, c.Assembly)) return null;
            var errors = new List<Error>();

            var imported = new HashSet<string>(StringComparer.Ordinal);
            var bindings = c.GetTypeByMetadataName(Bindings);
            foreach (var m in bindings?.GetMembers().OfType<IMethodSymbol>() ?? Enumerable.Empty<IMethodSymbol>())
                foreach (var a in m.GetAttributes().Where(a => a.AttributeClass?.Name == "LibraryImportAttribute"))
                    foreach (var n in a.NamedArguments.Where(n => n.Key == "EntryPoint" && n.Value.Value is string))
                        imported.Add((string)n.Value.Value!);

            var binders = new Dictionary<string, INamedTypeSymbol>(StringComparer.Ordinal);
            foreach (var t in AllTypes(c.Assembly.GlobalNamespace))
                foreach (var a in t.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, bindsKernel)))
                    if (a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string s)
                    {
                        if (binders.TryGetValue(s, out var other))
                            errors.Add(new Error(BadBind, t.Name, $"binds {s}, which {other.Name} binds too"));
                        else binders[s] = t;
                    }

            // Ops live in the IR assembly or in one built on it; the framework's thousands of types are not walked.
            var ir = kernel.ContainingAssembly.Name;
            var ops = c.SourceModule.ReferencedAssemblySymbols.Append(c.Assembly)
                .Where(a => a.Name == ir || a.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == ir)))
                .SelectMany(a => AllTypes(a.GlobalNamespace))
                .Select(t => (Type: t, Kernel: t.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, kernel)),
                    Op: t.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == Op)))
                .Where(o => o.Kernel is not null && !o.Type.IsAbstract)
                .OrderBy(o => o.Type.ToDisplayString(), StringComparer.Ordinal);

            var cases = new List<Case>();
            foreach (var (type, k, opAttr) in ops)
            {
                var opName = opAttr?.ConstructorArguments.FirstOrDefault().Value as string ?? type.Name;
                var symbol = k!.ConstructorArguments[0].Value as string ?? "";
                var code = k.ConstructorArguments.Length > 1 ? k.ConstructorArguments[1].Value as string : null;
                if (!imported.Contains(symbol))
                {
                    errors.Add(new Error(UnknownSymbol, opName, type.Name, symbol, Bindings));
                    continue;
                }
                if (!binders.TryGetValue(symbol, out var binder))
                {
                    errors.Add(new Error(NoBinder, opName, type.Name, symbol));
                    continue;
                }
                var bind = binder.GetMembers("Bind").OfType<IMethodSymbol>().Where(m => m.IsStatic).ToList();
                var withCode = bind.FirstOrDefault(m => m.Parameters.Length == 2 && m.Parameters[1].Type.TypeKind == TypeKind.Enum);
                var plain = bind.FirstOrDefault(m => m.Parameters.Length == 1);
                string? member = null;
                if (code is null)
                {
                    if (plain is null)
                    {
                        errors.Add(new Error(BadBind, binder.Name, $"binds {symbol} for {opName}, which gives no code: it needs a static Bind(KernelSite)"));
                        continue;
                    }
                }
                else
                {
                    if (withCode is null)
                    {
                        errors.Add(new Error(BadBind, binder.Name, $"binds {symbol} for {opName} with code {code}: it needs a static Bind(KernelSite, <the code's enum>)"));
                        continue;
                    }
                    var e = (INamedTypeSymbol)withCode.Parameters[1].Type;
                    member = MemberOf(e, code);
                    if (member is null)
                    {
                        var prefix = UpperSnake(e.Name) + "_";
                        errors.Add(new Error(UnknownCode, opName, type.Name, symbol, code, e.Name,
                            code.StartsWith(prefix, StringComparison.Ordinal) ? $" (no member {Pascal(code.Substring(prefix.Length))})" : $" (its codes start {prefix})"));
                        continue;
                    }
                    member = e.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + member;
                }
                bool refuses = binder.GetMembers("Refuses").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 1);
                cases.Add(new Case(opName, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), symbol,
                    binder.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), member, refuses));
            }
            return new DispatchModel { Namespace = bindsKernel.ContainingNamespace.ToDisplayString(), Cases = cases.ToArray(), Errors = errors.ToArray() };
        }

        /// <summary>VT_UNARY_OP_LEAKY_RELU in <c>VtUnaryOp</c> → LeakyRelu, BindGen's naming read backwards; null when absent.</summary>
        private static string? MemberOf(INamedTypeSymbol e, string code)
        {
            var prefix = UpperSnake(e.Name) + "_";
            if (!code.StartsWith(prefix, StringComparison.Ordinal)) return null;
            var name = Pascal(code.Substring(prefix.Length));
            return e.GetMembers(name).OfType<IFieldSymbol>().Any(f => f.HasConstantValue) ? name : null;
        }

        /// <summary>VtUnaryOp → VT_UNARY_OP.</summary>
        internal static string UpperSnake(string pascal)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < pascal.Length; i++)
            {
                if (i > 0 && char.IsUpper(pascal[i]) && !char.IsUpper(pascal[i - 1])) sb.Append('_');
                sb.Append(char.ToUpperInvariant(pascal[i]));
            }
            return sb.ToString();
        }

        /// <summary>LEAKY_RELU → LeakyRelu, exactly as tools/VoxTile.BindGen names enum members.</summary>
        internal static string Pascal(string name)
        {
            var sb = new StringBuilder();
            foreach (var part in name.Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (char.IsDigit(part[0])) sb.Append(sb.Length == 0 ? "_" : "");
                sb.Append(char.ToUpperInvariant(part[0]));
                sb.Append(part.Substring(1).ToLowerInvariant());
            }
            return sb.ToString();
        }

        private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns)
        {
            foreach (var t in ns.GetTypeMembers()) yield return t;
            foreach (var child in ns.GetNamespaceMembers())
                foreach (var t in AllTypes(child)) yield return t;
        }

        public string Emit()
        {
            var sb = new StringBuilder();
            sb.AppendLine("// <auto-generated>by VoxTile.IR.Generator.KernelDispatchGenerator from the ops' [Kernel] and the runtime's [BindsKernel]</auto-generated>");
            sb.AppendLine("#nullable enable");
            sb.AppendLine($"namespace {Namespace};");
            sb.AppendLine();
            sb.AppendLine("/// <summary>Each op with a native kernel, bound to the runtime class of its kernel's symbol.</summary>");
            sb.AppendLine("internal static partial class KernelDispatch");
            sb.AppendLine("{");
            sb.AppendLine("    /// <summary>The C symbol each op runs on, by op name.</summary>");
            sb.AppendLine("    public static readonly global::System.Collections.Generic.IReadOnlyDictionary<string, string> Symbols =");
            sb.AppendLine("        new global::System.Collections.Generic.Dictionary<string, string>(global::System.StringComparer.Ordinal)");
            sb.AppendLine("        {");
            foreach (var c in Cases) sb.AppendLine($"            [\"{c.OpName}\"] = \"{c.Symbol}\",");
            sb.AppendLine("        };");
            sb.AppendLine();
            sb.AppendLine("    /// <summary>Why the op's kernel cannot run this step (its kernel class's <c>Refuses</c>), or null.</summary>");
            sb.AppendLine("    public static string? Refusal(KernelSite site) => site.Op switch");
            sb.AppendLine("    {");
            foreach (var c in Cases.Where(c => c.Refuses)) sb.AppendLine($"        {c.OpType} => {c.Binder}.Refuses(site),");
            sb.AppendLine("        _ => null,");
            sb.AppendLine("    };");
            sb.AppendLine();
            sb.AppendLine("    /// <summary>The step bound to its native kernel, or null when its op has none.</summary>");
            sb.AppendLine("    public static StepKernel? Bind(KernelSite site) => site.Op switch");
            sb.AppendLine("    {");
            foreach (var c in Cases) sb.AppendLine($"        {c.OpType} => {c.Binder}.Bind(site{(c.Code is null ? "" : ", " + c.Code)}),");
            sb.AppendLine("        _ => null,");
            sb.AppendLine("    };");
            sb.AppendLine("}");
            return sb.ToString();
        }

        public bool Equals(DispatchModel? o) => o is not null && o.Namespace == Namespace && o.Cases.SequenceEqual(Cases) && o.Errors.SequenceEqual(Errors);
        public override bool Equals(object? obj) => Equals(obj as DispatchModel);
        public override int GetHashCode() => Cases.Length;
    }
}
