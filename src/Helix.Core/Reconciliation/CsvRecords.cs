using System.Text;

namespace Helix.Core.Reconciliation;

/// <summary>An RFC 4180 CSV reader: quoted fields may hold commas, doubled quotes and line breaks.</summary>
/// <remarks>Each record comes with the 1-based line it starts on, so errors can name it. Blank lines are skipped.</remarks>
internal static class CsvRecords
{
    public static IEnumerable<(int Line, List<string> Fields)> Read(string content, string format)
    {
        var text = content.Length > 0 && content[0] == '\uFEFF' ? content[1..] : content;
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var recordLine = line;
            List<string> fields = [];
            var field = new StringBuilder();
            var endOfRecord = false;
            while (!endOfRecord)
            {
                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw ExportJson.Error(format, $"field {fields.Count + 1}", "a quoted field is never closed", recordLine);
                        }

                        var c = text[i++];
                        if (c == '"')
                        {
                            if (i < text.Length && text[i] == '"')
                            {
                                field.Append('"');
                                i++;
                                continue;
                            }

                            break;
                        }

                        if (c == '\n')
                        {
                            line++;
                        }

                        field.Append(c);
                    }

                    if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        throw ExportJson.Error(format, $"field {fields.Count + 1}", "text follows a closing quote", line);
                    }
                }
                else
                {
                    while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        if (text[i] == '"')
                        {
                            throw ExportJson.Error(format, $"field {fields.Count + 1}", "a quote inside an unquoted field (quote the field and double the quote)", line);
                        }

                        field.Append(text[i++]);
                    }
                }

                fields.Add(field.ToString());
                field.Clear();
                if (i >= text.Length)
                {
                    endOfRecord = true;
                }
                else if (text[i] == ',')
                {
                    i++;
                }
                else
                {
                    if (text[i] == '\r')
                    {
                        i++;
                    }

                    if (i < text.Length && text[i] == '\n')
                    {
                        i++;
                    }

                    line++;
                    endOfRecord = true;
                }
            }

            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            yield return (recordLine, fields);
        }
    }
}
