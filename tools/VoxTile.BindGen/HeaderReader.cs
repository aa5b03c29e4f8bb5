using System.Runtime.InteropServices;
using System.Text;
using VoxTile.BindGen.Clang;

namespace VoxTile.BindGen;

/// <summary>Reads the ABI header with libclang into a <see cref="HeaderModel"/>. Only declarations in the header itself count.</summary>
internal static unsafe class HeaderReader
{
    public static HeaderModel Read(string headerPath)
    {
        ClangLoader.Register();
        var index = LibClang.CreateIndex(0, 0);
        if (index == 0) throw new BindGenException("libclang: clang_createIndex failed");
        try
        {
            var unit = Parse(index, headerPath);
            try { return Walk(unit); }
            finally { LibClang.DisposeTranslationUnit(unit); }
        }
        finally { LibClang.DisposeIndex(index); }
    }

    private static nint Parse(nint index, string headerPath)
    {
        string[] args = ["-x", "c", "-std=c11", "-fparse-all-comments", "-Wall"];
        var utf8 = args.Select(a => Marshal.StringToCoTaskMemUTF8(a)).ToArray();
        var file = Marshal.StringToCoTaskMemUTF8(Path.GetFullPath(headerPath));
        try
        {
            fixed (nint* argv = utf8)
            {
                var unit = LibClang.ParseTranslationUnit(index, (byte*)file, (byte**)argv, args.Length, null, 0,
                    LibClang.DetailedPreprocessingRecord | LibClang.SkipFunctionBodies);
                if (unit == 0) throw new BindGenException($"libclang could not parse {headerPath}");
                var errors = new List<string>();
                for (uint i = 0; i < LibClang.GetNumDiagnostics(unit); i++)
                {
                    var d = LibClang.GetDiagnostic(unit, i);
                    if (LibClang.GetDiagnosticSeverity(d) >= 3) errors.Add(LibClang.Take(LibClang.FormatDiagnostic(d, 0x1 | 0x2)));
                    LibClang.DisposeDiagnostic(d);
                }
                if (errors.Count > 0)
                {
                    LibClang.DisposeTranslationUnit(unit);
                    throw new BindGenException($"{headerPath} does not compile:\n  {string.Join("\n  ", errors)}");
                }
                return unit;
            }
        }
        finally
        {
            foreach (var p in utf8) Marshal.FreeCoTaskMem(p);
            Marshal.FreeCoTaskMem(file);
        }
    }

    private static HeaderModel Walk(nint unit)
    {
        var constants = new List<CConstant>();
        var enums = new List<CEnum>();
        var structs = new List<CStruct>();
        var functions = new List<CFunction>();
        var defined = new HashSet<string>();
        var declared = new List<string>();
        foreach (var c in LibClang.Children(LibClang.GetTranslationUnitCursor(unit)))
        {
            if (LibClang.LocationIsFromMainFile(LibClang.GetCursorLocation(c)) == 0) continue;
            var name = LibClang.Take(LibClang.GetCursorSpelling(c));
            switch (c.Kind)
            {
                case CXCursorKind.MacroDefinition:
                    if (IntegerMacro(unit, c) is long value) constants.Add(new CConstant(name, value));
                    break;
                case CXCursorKind.EnumDecl when LibClang.IsCursorDefinition(c) != 0:
                    enums.Add(new CEnum(name, LibClang.Children(c).Where(m => m.Kind == CXCursorKind.EnumConstantDecl)
                        .Select(m => new CEnumMember(LibClang.Take(LibClang.GetCursorSpelling(m)),
                            LibClang.GetEnumConstantDeclValue(m), Comment(m))).ToList(), Comment(c)));
                    break;
                case CXCursorKind.StructDecl when LibClang.IsCursorDefinition(c) != 0:
                    defined.Add(name);
                    structs.Add(new CStruct(name, LibClang.Children(c).Where(f => f.Kind == CXCursorKind.FieldDecl)
                        .Select(f => new CField(LibClang.Take(LibClang.GetCursorSpelling(f)), Map(LibClang.GetCursorType(f)), Comment(f)))
                        .ToList(), Opaque: false, Comment(c)));
                    break;
                case CXCursorKind.StructDecl:
                    if (!declared.Contains(name)) declared.Add(name);
                    break;
                case CXCursorKind.FunctionDecl:
                    var args = Enumerable.Range(0, LibClang.CursorGetNumArguments(c))
                        .Select(i => LibClang.CursorGetArgument(c, (uint)i))
                        .Select(a => new CParam(LibClang.Take(LibClang.GetCursorSpelling(a)), Map(LibClang.GetCursorType(a))))
                        .ToList();
                    functions.Add(new CFunction(name, Map(LibClang.GetCursorResultType(c)), args, Comment(c)));
                    break;
            }
        }
        foreach (var name in declared.Where(n => !defined.Contains(n)))
            structs.Add(new CStruct(name, [], Opaque: true, null));
        return new HeaderModel(constants, enums, structs, functions);
    }

    /// <summary>#define NAME &lt;integer literal&gt;, else null.</summary>
    private static long? IntegerMacro(nint unit, CXCursor c)
    {
        CXToken* tokens;
        uint count;
        LibClang.Tokenize(unit, LibClang.GetCursorExtent(c), &tokens, &count);
        try
        {
            if (count != 2 || LibClang.GetTokenKind(tokens[1]) != CXTokenKind.Literal) return null;
            var text = LibClang.Take(LibClang.GetTokenSpelling(unit, tokens[1])).TrimEnd('u', 'U', 'l', 'L');
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                return long.TryParse(text[2..], System.Globalization.NumberStyles.HexNumber, null, out var h) ? h : null;
            return long.TryParse(text, out var v) ? v : null;
        }
        finally { LibClang.DisposeTokens(unit, tokens, count); }
    }

    private static CType Map(CXType type)
    {
        var t = LibClang.GetCanonicalType(type);
        return t.Kind switch
        {
            CXTypeKind.Void => new CPrimitive("void"),
            CXTypeKind.Bool or CXTypeKind.UChar or CXTypeKind.CharU or CXTypeKind.CharS => new CPrimitive("byte"),
            CXTypeKind.SChar => new CPrimitive("sbyte"),
            CXTypeKind.Short => new CPrimitive("short"),
            CXTypeKind.UShort => new CPrimitive("ushort"),
            CXTypeKind.Int => new CPrimitive("int"),
            CXTypeKind.UInt => new CPrimitive("uint"),
            CXTypeKind.Long or CXTypeKind.LongLong => new CPrimitive("long"),
            CXTypeKind.ULong or CXTypeKind.ULongLong => new CPrimitive("ulong"),
            CXTypeKind.Float => new CPrimitive("float"),
            CXTypeKind.Double => new CPrimitive("double"),
            CXTypeKind.Pointer => new CPointer(Map(LibClang.GetPointeeType(t))),
            CXTypeKind.Record => new CNamed(LibClang.Take(LibClang.GetCursorSpelling(LibClang.GetTypeDeclaration(t))), IsEnum: false),
            CXTypeKind.Enum => new CNamed(LibClang.Take(LibClang.GetCursorSpelling(LibClang.GetTypeDeclaration(t))), IsEnum: true),
            CXTypeKind.ConstantArray => new CFixedArray(Map(LibClang.GetArrayElementType(t)), LibClang.GetArraySize(t)),
            _ => throw new BindGenException($"unsupported C type '{LibClang.Take(LibClang.GetTypeSpelling(type))}' (kind {t.Kind})"),
        };
    }

    /// <summary>The comment attached to a declaration, as plain text (comment markers stripped), or null.</summary>
    private static string? Comment(CXCursor c)
    {
        var raw = LibClang.Take(LibClang.CursorGetRawCommentText(c));
        if (raw.Length == 0) return null;
        var sb = new StringBuilder();
        foreach (var line in raw.Split('\n'))
        {
            var l = line.Trim();
            if (l.StartsWith("/*")) l = l[2..];
            if (l.EndsWith("*/")) l = l[..^2];
            if (l.StartsWith("//")) l = l[2..];
            l = l.Trim().TrimStart('*', '<').Trim();
            if (l.Length == 0) continue;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(l);
        }
        return sb.Length == 0 ? null : sb.ToString();
    }
}

internal sealed class BindGenException(string message) : Exception(message);
