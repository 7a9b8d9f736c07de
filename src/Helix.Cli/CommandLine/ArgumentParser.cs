namespace Helix.Cli.CommandLine;

/// <summary>Parses <c>--name value</c>, <c>--name=value</c>, flags and positional arguments against a command's options.</summary>
/// <remarks>
/// Strict on purpose, because a typo in a billing command should stop it rather than be ignored: an unknown
/// option, a missing value, a value given to a flag, a repeated option, a missing required option or too many
/// positional arguments is a <see cref="UsageException"/> naming the fix. <c>--</c> ends the options. A value
/// may start with a dash (<c>--model -x</c> is read as the value "-x") except when it is itself an option of the
/// command, which is taken to mean the value was forgotten.
/// </remarks>
internal static class ArgumentParser
{
    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The arguments after the command's name.</param>
    /// <param name="options">The options the command accepts.</param>
    /// <param name="positionals">The names of the positional arguments, in order (for messages).</param>
    /// <param name="requiredPositionals">How many of them must be given.</param>
    /// <exception cref="UsageException">The arguments do not fit the command.</exception>
    public static ParsedArguments Parse(
        IReadOnlyList<string> args, IReadOnlyList<OptionSpec> options, IReadOnlyList<string>? positionals = null, int requiredPositionals = 0)
    {
        positionals ??= [];
        var byName = options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var rest = new List<string>();
        var help = false;
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || arg == "-" || !arg.StartsWith('-'))
            {
                rest.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (arg is "-h" or "--help")
            {
                help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unknown option '{arg}'; options are written --name.{Suggest(arg.TrimStart('-'), byName.Keys)}");
            }

            var body = arg[2..];
            string? inlineValue = null;
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = body[(equals + 1)..];
                body = body[..equals];
            }

            if (!byName.TryGetValue(body, out var spec))
            {
                throw new UsageException($"Unknown option '--{body}'.{Suggest(body, byName.Keys)}");
            }

            if (values.ContainsKey(spec.Name))
            {
                throw new UsageException($"--{spec.Name} is given more than once.");
            }

            if (spec.IsFlag)
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"--{spec.Name} is a flag and takes no value.");
                }

                values[spec.Name] = null;
                continue;
            }

            if (inlineValue is null)
            {
                if (i + 1 >= args.Count || IsOption(args[i + 1], byName))
                {
                    throw new UsageException($"--{spec.Name} needs a value: {spec.Usage}.");
                }

                inlineValue = args[++i];
            }

            if (inlineValue.Length == 0)
            {
                throw new UsageException($"--{spec.Name} needs a value: {spec.Usage}.");
            }

            values[spec.Name] = inlineValue;
        }

        if (help)
        {
            return new ParsedArguments(values, rest, helpRequested: true);
        }

        if (rest.Count > positionals.Count)
        {
            throw new UsageException(positionals.Count == 0
                ? $"Unexpected argument '{rest[0]}'; this command takes options only."
                : $"Unexpected argument '{rest[positionals.Count]}'; expected {string.Join(" ", positionals)}.");
        }

        if (rest.Count < requiredPositionals)
        {
            throw new UsageException($"Missing {positionals[rest.Count]}.");
        }

        var missing = options.Where(o => o.Required && !values.ContainsKey(o.Name)).Select(o => o.Usage).ToList();
        if (missing.Count > 0)
        {
            throw new UsageException($"Missing {string.Join(", ", missing)}.");
        }

        return new ParsedArguments(values, rest, helpRequested: false);
    }

    private static bool IsOption(string arg, Dictionary<string, OptionSpec> byName)
    {
        if (arg is "--" or "-h" or "--help")
        {
            return true;
        }

        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }

        var name = arg[2..];
        var equals = name.IndexOf('=', StringComparison.Ordinal);
        return byName.ContainsKey(equals >= 0 ? name[..equals] : name);
    }

    private static string Suggest(string typed, IEnumerable<string> names)
    {
        var best = names
            .Select(n => (Name: n, Distance: Distance(typed, n)))
            .Where(c => c.Distance <= 2 && c.Distance * 2 < typed.Length)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is null ? "" : $" Did you mean --{best.Name}?";
    }

    // Levenshtein distance, for "did you mean"; option names are short, so the quadratic table is fine.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
