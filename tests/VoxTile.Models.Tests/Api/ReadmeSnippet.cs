using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace VoxTile.Models.Tests.Api;

/// <summary>
/// The C# block of README.md's "Use it from .NET" section, compiled as a program of its own: its text unchanged except
/// the string values of the path variables it declares, with the implicit usings of a new console project, against the
/// VoxTile assemblies this test runs with.
/// </summary>
internal static class ReadmeSnippet
{
    public const string Section = "## Use it from .NET";

    // What `dotnet new console` (ImplicitUsings) gives a program that pastes the snippet.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>The first fenced csharp block after the section heading.</summary>
    public static string Read()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        int section = readme.IndexOf(Section, StringComparison.Ordinal);
        if (section < 0) throw new InvalidOperationException($"README.md has no '{Section}' section");
        int open = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal);
        if (open < 0) throw new InvalidOperationException($"README.md's '{Section}' has no ```csharp block");
        open += "```csharp\n".Length;
        int close = readme.IndexOf("\n```", open, StringComparison.Ordinal);
        return readme[open..(close + 1)];
    }

    /// <summary>
    /// The snippet with the named variables' initial values replaced by string literals; fails when one of them is not
    /// declared with a string literal (the README changed under the test).
    /// </summary>
    public static string WithValues(string snippet, IReadOnlyDictionary<string, string> values)
    {
        var root = CSharpSyntaxTree.ParseText(snippet).GetRoot();
        var declarators = root.DescendantNodes().OfType<VariableDeclaratorSyntax>()
            .Where(d => values.ContainsKey(d.Identifier.Text) && d.Initializer?.Value is LiteralExpressionSyntax l && l.IsKind(SyntaxKind.StringLiteralExpression))
            .ToList();
        var missing = values.Keys.Except(declarators.Select(d => d.Identifier.Text)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"the snippet declares no string {string.Join(", ", missing)}");
        var rewritten = root.ReplaceNodes(declarators.Select(d => d.Initializer!.Value), (original, _) =>
        {
            var name = ((VariableDeclaratorSyntax)original.Parent!.Parent!).Identifier.Text;
            return SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(values[name])).WithTriviaFrom(original);
        });
        return rewritten.ToFullString();
    }

    /// <summary>Compiles <paramref name="program"/> (top-level statements) into an assembly, or fails with the compiler's errors.</summary>
    public static Assembly Compile(string program, IEnumerable<Assembly> voxTile)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new[] { CSharpSyntaxTree.ParseText(program, parse, "README.cs"), CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "Usings.cs") };
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = framework.Concat(voxTile.Select(a => a.Location)).Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("ReadmeSnippet", trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!emitted.Success) throw new InvalidOperationException("the README's snippet does not compile:\n" + string.Join("\n", errors));
        image.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(image);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VoxTile.slnx"))) return dir.FullName;
        throw new InvalidOperationException("no VoxTile.slnx above the test's folder");
    }
}
