using System.CommandLine;
using System.CommandLine.Parsing;

namespace VoxTile.Cli.Usage;

/// <summary>
/// Parser errors as the commands report theirs: one line <c>voxtile: error: …</c> naming the option and the form it
/// expects, with a "did you mean" over every option of the verb; no help dump, no .NET type names, exit code
/// <see cref="ExitCodes.UserError"/>.
/// </summary>
internal static class UsageErrors
{
    public static int Report(ParseResult result)
    {
        Console.Error.WriteLine($"voxtile: error: {Describe(result)}");
        return ExitCodes.UserError;
    }

    /// <summary>The first problem of the parse, as one line (without the <c>voxtile: error:</c> prefix).</summary>
    public static string Describe(ParseResult result)
    {
        var command = result.CommandResult.Command;
        string verb = Verb(result.CommandResult);
        string help = $"see voxtile{(verb.Length > 0 ? " " + verb : "")} --help";
        if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            if (token.StartsWith('-'))
                return $"{Where(verb)}unknown option '{token}'{DidYouMean(token, OptionNames(result.CommandResult))}; {help}";
            if (command.Subcommands.Count > 0)
                return $"unknown command '{token}'{DidYouMean(token, command.Subcommands.Select(c => c.Name))}; the commands are {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
            return $"{Where(verb)}unexpected argument '{token}' (options start with --); {help}";
        }
        var error = result.Errors[0];
        switch (error.SymbolResult)
        {
            case OptionResult o:
                return OptionError(o.Option, o.Tokens.Select(t => t.Value).FirstOrDefault(), error.Message, help);
            case ArgumentResult { Parent: OptionResult o } a:
                return OptionError(o.Option, a.Tokens.Select(t => t.Value).FirstOrDefault(), error.Message, help);
            case ArgumentResult a:
                return ArgumentError(verb, a.Argument, a.Tokens.Select(t => t.Value).FirstOrDefault(), error.Message, help);
            case CommandResult c when c.Command.Subcommands.Count > 0 && !c.Command.Options.Any(o => o.Required):
                return $"give a command: {string.Join(", ", c.Command.Subcommands.Select(s => s.Name))}; {help}";
            default:
                return $"{Where(verb)}{Clean(error.Message)}; {help}";
        }
    }

    private static string OptionError(Option option, string? value, string message, string help)
    {
        if (message.StartsWith("Option '", StringComparison.Ordinal) && message.EndsWith("is required.", StringComparison.Ordinal))
            return $"{option.Name} is required: {Form(option)}; {help}";
        if (message.StartsWith("Required argument missing", StringComparison.Ordinal))
            return $"{option.Name} needs a value: {Form(option)}";
        if (message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
            return $"{option.Name} takes {Expected(option.ValueType)}, not '{value}': {Form(option)}";
        if (message.StartsWith("Argument '", StringComparison.Ordinal) && message.Contains("Must be one of", StringComparison.Ordinal))
            return $"{option.Name} takes one of {Choices(message)}, not '{value}'";
        return Clean(message);
    }

    private static string ArgumentError(string verb, Argument argument, string? value, string message, string help)
    {
        if (message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
            return $"{Where(verb)}{argument.Name} takes {Expected(argument.ValueType)}, not '{value}'; {help}";
        if (message.StartsWith("Argument '", StringComparison.Ordinal) && message.Contains("Must be one of", StringComparison.Ordinal))
            return $"{Where(verb)}'{value}' is not one of {Choices(message)} (the {argument.Name} argument)";
        if (message.StartsWith("Required argument missing", StringComparison.Ordinal))
            return $"{Where(verb)}give the {argument.Name} ({argument.Description}); {help}";
        return $"{Where(verb)}{Clean(message)}; {help}";
    }

    /// <summary>How the option is written: <c>--tau NUMBER</c>, <c>-o/--output FILE</c>.</summary>
    public static string Form(Option option)
    {
        var t = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        string name = option.Aliases.Count > 0 ? $"{option.Name} ({string.Join(", ", option.Aliases)})" : option.Name;
        if (t == typeof(bool)) return name;
        string placeholder = t == typeof(double) || t == typeof(float) ? "NUMBER"
            : t == typeof(int) || t == typeof(long) ? "INTEGER"
            : option.Name.Contains("output", StringComparison.Ordinal) ? "FILE"
            : option.HelpName ?? "VALUE";
        return $"{name} {placeholder}{(option.ValueType.IsArray ? "…" : "")}";
    }

    private static string Expected(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsArray) t = t.GetElementType()!;
        return t == typeof(double) || t == typeof(float) ? "a number (e.g. 0.5)"
            : t == typeof(int) || t == typeof(long) ? "a whole number (e.g. 2)"
            : t == typeof(bool) ? "true or false"
            : "a value";
    }

    private static string DidYouMean(string typed, IEnumerable<string> candidates)
    {
        var close = Spelling.Suggest(typed, candidates);
        return close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close.Take(4))}?)";
    }

    /// <summary>Every name and alias an option of this verb (or an inherited one, such as --help) answers to.</summary>
    private static IEnumerable<string> OptionNames(CommandResult command)
    {
        for (SymbolResult? r = command; r is CommandResult c; r = c.Parent)
            foreach (var o in c.Command.Options.Where(o => r == command || o.Recursive))
            {
                yield return o.Name;
                foreach (var a in o.Aliases) yield return a;
            }
    }

    private static string Verb(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? r = command; r is CommandResult c && c.Parent is not null; r = c.Parent) names.Insert(0, c.Command.Name);
        return string.Join(" ", names);
    }

    private static string Where(string verb) => verb.Length > 0 ? $"{verb}: " : "";

    private static string Choices(string message) =>
        string.Join(", ", message[(message.IndexOf("Must be one of:", StringComparison.Ordinal) + "Must be one of:".Length)..]
            .Split(['\n', '\r', '\t', ' ', '\''], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>One line, and no .NET type names should a message the parser builds carry one.</summary>
    private static string Clean(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message.ReplaceLineEndings(" ").Trim().TrimEnd('.'), @"System\.[\w.`\[\]]+", "a value");
}
