using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VoxTile.IR.Generator;

namespace VoxTile.IR.Tests.Generator;

/// <summary>
/// The kernel dispatch generator on a small runtime of its own beside the real IR ops: an op's [Kernel] becomes a
/// case that binds its symbol's class with the code as the bindings' enum member, and every way a kernel can be
/// misnamed is a compile error (not a failure when a plan meets the op).
/// </summary>
public sealed class KernelDispatchGeneratorTests
{
    // Imports vt_unary (without an exp code), vt_where and vt_binary; binds vt_unary, vt_where with the wrong Bind, and nothing else.
    private const string Runtime = """
        using System.Runtime.InteropServices;
        namespace VoxTile.Runtime.Native
        {
            public enum VtUnaryOp { Relu = 0, LeakyRelu = 1, Tanh = 2 }
            public static partial class VtNative
            {
                [LibraryImport("voxtile_kernels", EntryPoint = "vt_unary")]
                public static partial int Unary(VtUnaryOp op);
                [LibraryImport("voxtile_kernels", EntryPoint = "vt_where")]
                public static partial int Where();
                [LibraryImport("voxtile_kernels", EntryPoint = "vt_binary")]
                public static partial int Binary();
            }
        }
        namespace VoxTile.Runtime.Execution
        {
            internal abstract class StepKernel;
        }
        namespace VoxTile.Runtime.Execution.Kernels
        {
            internal sealed class BindsKernelAttribute(string symbol) : System.Attribute { public string Symbol { get; } = symbol; }
            internal sealed class KernelSite { public VoxTile.IR.Op Op { get; } = null!; }
            [BindsKernel("vt_unary")]
            internal sealed class UnaryKernel : StepKernel
            {
                public static StepKernel Bind(KernelSite s, VoxTile.Runtime.Native.VtUnaryOp code) => new UnaryKernel();
            }
            [BindsKernel("vt_where")]
            internal sealed class WhereKernel : StepKernel
            {
                public static StepKernel Bind(KernelSite s, VoxTile.Runtime.Native.VtUnaryOp code) => new WhereKernel();
            }
        }
        """;

    private static (string Source, IReadOnlyList<Diagnostic> Diagnostics) Run()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).Append(MetadataReference.CreateFromFile(typeof(Op).Assembly.Location));
        var compilation = CSharpCompilation.Create("VoxTile.Runtime", [CSharpSyntaxTree.ParseText(Runtime)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        var driver = CSharpGeneratorDriver.Create(new KernelDispatchGenerator()).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        return (result.GeneratedSources.Single().SourceText.ToString(), result.Diagnostics);
    }

    [Fact]
    public void AnOpWithAKnownSymbolAndCodeBecomesACase()
    {
        var (source, _) = Run();
        Assert.Contains("global::VoxTile.IR.Ops.Ttnn.Tanh => global::VoxTile.Runtime.Execution.Kernels.UnaryKernel.Bind(site, global::VoxTile.Runtime.Native.VtUnaryOp.Tanh),", source);
        Assert.Contains("global::VoxTile.IR.Ops.Ttnn.LeakyRelu => global::VoxTile.Runtime.Execution.Kernels.UnaryKernel.Bind(site, global::VoxTile.Runtime.Native.VtUnaryOp.LeakyRelu),", source);
        Assert.Contains("[\"ttnn.tanh\"] = \"vt_unary\",", source);
        Assert.DoesNotContain("Ttnn.Exp =>", source);
    }

    [Theory]
    [InlineData("VTK001", "ttnn.conv1d (Conv1d) runs on vt_conv1d, which voxtile_kernels.h does not declare")]
    [InlineData("VTK004", "ttnn.exp (Exp) runs on vt_unary with code VT_UNARY_OP_EXP, which the bindings' VtUnaryOp does not have (no member Exp)")]
    [InlineData("VTK002", "ttnn.add (Add) runs on vt_binary, but no runtime kernel class is marked [BindsKernel(\"vt_binary\")]")]
    [InlineData("VTK003", "WhereKernel: binds vt_where for ttnn.where, which gives no code: it needs a static Bind(KernelSite)")]
    public void AMisnamedKernelIsACompileError(string id, string message)
    {
        var (_, diagnostics) = Run();
        var d = diagnostics.Where(d => d.Id == id).Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(d, m => m.StartsWith(message, StringComparison.Ordinal));
        Assert.All(diagnostics, x => Assert.Equal(DiagnosticSeverity.Error, x.Severity));
    }
}
