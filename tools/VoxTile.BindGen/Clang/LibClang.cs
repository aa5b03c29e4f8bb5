using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VoxTile.BindGen.Clang;

// The part of libclang's C API (clang-c/Index.h) the generator uses. Struct layouts match libclang 22 on x86-64.

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXCursor
{
    public CXCursorKind Kind;
    public int XData;
    public void* Data0, Data1, Data2;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXType
{
    public CXTypeKind Kind;
    public void* Data0, Data1;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXString
{
    public void* Data;
    public uint Flags;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXSourceLocation
{
    public void* Ptr0, Ptr1;
    public uint IntData;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXSourceRange
{
    public void* Ptr0, Ptr1;
    public uint BeginIntData, EndIntData;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXToken
{
    public uint Int0, Int1, Int2, Int3;
    public void* PtrData;
}

internal enum CXCursorKind
{
    StructDecl = 2,
    EnumDecl = 5,
    FieldDecl = 6,
    EnumConstantDecl = 7,
    FunctionDecl = 8,
    ParmDecl = 10,
    TypedefDecl = 20,
    MacroDefinition = 501,
}

internal enum CXTypeKind
{
    Invalid = 0,
    Void = 2,
    Bool = 3,
    CharU = 4,
    UChar = 5,
    UShort = 8,
    UInt = 9,
    ULong = 10,
    ULongLong = 11,
    CharS = 13,
    SChar = 14,
    Short = 16,
    Int = 17,
    Long = 18,
    LongLong = 19,
    Float = 21,
    Double = 22,
    Pointer = 101,
    Record = 105,
    Enum = 106,
    Typedef = 107,
    FunctionProto = 111,
    ConstantArray = 112,
    Elaborated = 119,
}

internal enum CXTokenKind { Punctuation = 0, Keyword = 1, Identifier = 2, Literal = 3, Comment = 4 }

internal static unsafe partial class LibClang
{
    public const string Name = "libclang";

    public const uint DetailedPreprocessingRecord = 0x01;
    public const uint SkipFunctionBodies = 0x40;
    public const int ChildVisitContinue = 1;

    [LibraryImport(Name, EntryPoint = "clang_createIndex")]
    public static partial nint CreateIndex(int excludeDeclarationsFromPch, int displayDiagnostics);

    [LibraryImport(Name, EntryPoint = "clang_disposeIndex")]
    public static partial void DisposeIndex(nint index);

    [LibraryImport(Name, EntryPoint = "clang_parseTranslationUnit")]
    public static partial nint ParseTranslationUnit(nint index, byte* sourceFilename, byte** commandLineArgs, int numCommandLineArgs,
        void* unsavedFiles, uint numUnsavedFiles, uint options);

    [LibraryImport(Name, EntryPoint = "clang_disposeTranslationUnit")]
    public static partial void DisposeTranslationUnit(nint unit);

    [LibraryImport(Name, EntryPoint = "clang_getNumDiagnostics")]
    public static partial uint GetNumDiagnostics(nint unit);

    [LibraryImport(Name, EntryPoint = "clang_getDiagnostic")]
    public static partial nint GetDiagnostic(nint unit, uint index);

    [LibraryImport(Name, EntryPoint = "clang_getDiagnosticSeverity")]
    public static partial int GetDiagnosticSeverity(nint diagnostic);

    [LibraryImport(Name, EntryPoint = "clang_formatDiagnostic")]
    public static partial CXString FormatDiagnostic(nint diagnostic, uint options);

    [LibraryImport(Name, EntryPoint = "clang_disposeDiagnostic")]
    public static partial void DisposeDiagnostic(nint diagnostic);

    [LibraryImport(Name, EntryPoint = "clang_getTranslationUnitCursor")]
    public static partial CXCursor GetTranslationUnitCursor(nint unit);

    [LibraryImport(Name, EntryPoint = "clang_visitChildren")]
    public static partial uint VisitChildren(CXCursor parent, delegate* unmanaged[Cdecl]<CXCursor, CXCursor, nint, int> visitor, nint clientData);

    [LibraryImport(Name, EntryPoint = "clang_getCursorSpelling")]
    public static partial CXString GetCursorSpelling(CXCursor cursor);

    [LibraryImport(Name, EntryPoint = "clang_getCursorType")]
    public static partial CXType GetCursorType(CXCursor cursor);

    [LibraryImport(Name, EntryPoint = "clang_getCursorResultType")]
    public static partial CXType GetCursorResultType(CXCursor cursor);

    [LibraryImport(Name, EntryPoint = "clang_getCursorLocation")]
    public static partial CXSourceLocation GetCursorLocation(CXCursor cursor);

    [LibraryImport(Name, EntryPoint = "clang_getCursorExtent")]
    public static partial CXSourceRange GetCursorExtent(CXCursor cursor);

    [LibraryImport(Name, EntryPoint = "clang_Location_isFromMainFile")]
    public static partial int LocationIsFromMainFile(CXSourceLocation location);

    [LibraryImport(Name, EntryPoint = "clang_isCursorDefinition")]
    public static partial uint IsCursorDefinition(CXCursor cursor);

    [LibraryImport(Name, EntryPoint = "clang_Cursor_getNumArguments")]
    public static partial int CursorGetNumArguments(CXCursor cursor);

    [LibraryImport(Name, EntryPoint = "clang_Cursor_getArgument")]
    public static partial CXCursor CursorGetArgument(CXCursor cursor, uint index);

    [LibraryImport(Name, EntryPoint = "clang_Cursor_getRawCommentText")]
    public static partial CXString CursorGetRawCommentText(CXCursor cursor);

    [LibraryImport(Name, EntryPoint = "clang_getEnumConstantDeclValue")]
    public static partial long GetEnumConstantDeclValue(CXCursor cursor);

    [LibraryImport(Name, EntryPoint = "clang_getTypeSpelling")]
    public static partial CXString GetTypeSpelling(CXType type);

    [LibraryImport(Name, EntryPoint = "clang_getCanonicalType")]
    public static partial CXType GetCanonicalType(CXType type);

    [LibraryImport(Name, EntryPoint = "clang_getPointeeType")]
    public static partial CXType GetPointeeType(CXType type);

    [LibraryImport(Name, EntryPoint = "clang_getArrayElementType")]
    public static partial CXType GetArrayElementType(CXType type);

    [LibraryImport(Name, EntryPoint = "clang_getArraySize")]
    public static partial long GetArraySize(CXType type);

    [LibraryImport(Name, EntryPoint = "clang_getTypeDeclaration")]
    public static partial CXCursor GetTypeDeclaration(CXType type);

    [LibraryImport(Name, EntryPoint = "clang_isConstQualifiedType")]
    public static partial uint IsConstQualifiedType(CXType type);

    [LibraryImport(Name, EntryPoint = "clang_tokenize")]
    public static partial void Tokenize(nint unit, CXSourceRange range, CXToken** tokens, uint* numTokens);

    [LibraryImport(Name, EntryPoint = "clang_getTokenSpelling")]
    public static partial CXString GetTokenSpelling(nint unit, CXToken token);

    [LibraryImport(Name, EntryPoint = "clang_getTokenKind")]
    public static partial CXTokenKind GetTokenKind(CXToken token);

    [LibraryImport(Name, EntryPoint = "clang_disposeTokens")]
    public static partial void DisposeTokens(nint unit, CXToken* tokens, uint numTokens);

    [LibraryImport(Name, EntryPoint = "clang_getCString")]
    public static partial byte* GetCString(CXString s);

    [LibraryImport(Name, EntryPoint = "clang_disposeString")]
    public static partial void DisposeString(CXString s);

    /// <summary>Copies a libclang string into a managed one and frees it.</summary>
    public static string Take(CXString s)
    {
        try { return Marshal.PtrToStringUTF8((nint)GetCString(s)) ?? ""; }
        finally { DisposeString(s); }
    }

    /// <summary>The direct children of a cursor, in source order.</summary>
    public static List<CXCursor> Children(CXCursor parent)
    {
        var list = new List<CXCursor>();
        var handle = GCHandle.Alloc(list);
        try { VisitChildren(parent, &CollectChild, GCHandle.ToIntPtr(handle)); }
        finally { handle.Free(); }
        return list;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CollectChild(CXCursor cursor, CXCursor parent, nint data)
    {
        ((List<CXCursor>)GCHandle.FromIntPtr(data).Target!).Add(cursor);
        return ChildVisitContinue;
    }
}
