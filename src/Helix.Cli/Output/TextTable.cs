namespace Helix.Cli.Output;

/// <summary>A plain-text table with aligned columns; numbers are right-aligned.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <param name="columns">Each column's header; a header starting with '>' is right-aligned (the '>' is not shown).</param>
    public TextTable(params string[] columns)
    {
        _headers = [.. columns.Select(c => c.TrimStart('>'))];
        _rightAligned = [.. columns.Select(c => c.StartsWith('>'))];
    }

    public int Count => _rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"A row needs {_headers.Length} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void WriteTo(TextWriter writer, string indent = "", bool withHeader = true)
    {
        var lines = withHeader ? _rows.Prepend(_headers) : _rows;
        var widths = new int[_headers.Length];
        foreach (var row in lines)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in lines)
        {
            var cells = row.Select((cell, i) => _rightAligned[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            writer.WriteLine(indent + string.Join("  ", cells).TrimEnd());
        }
    }
}
