namespace Helix.Simulator.Wire;

/// <summary>The deterministic text of simulated chat replies: words cycling through a lorem-ipsum line, one token each.</summary>
/// <remarks>
/// Thread-safe; texts of up to <see cref="CachedWords"/> words are built once and shared. Transcripts read as speech
/// instead: <see cref="TranscriptText"/>.
/// </remarks>
internal static class ReplyText
{
    private const int CachedWords = 1024;

    private static readonly string[] s_words =
    [
        "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do",
        "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua",
    ];

    private static readonly string[] s_spacedWords = Array.ConvertAll(s_words, w => " " + w);
    private static readonly string?[] s_texts = new string?[CachedWords + 1];

    /// <summary>The <paramref name="index"/>-th piece of a reply: the word, with a leading space after the first.</summary>
    public static string Piece(int index) =>
        index == 0 ? s_words[0] : s_spacedWords[index % s_words.Length];

    /// <summary>A reply of <paramref name="words"/> words: the concatenation of pieces 0 to <paramref name="words"/> - 1.</summary>
    public static string Text(int words)
    {
        if (words <= 0)
        {
            return string.Empty;
        }

        if (words > CachedWords)
        {
            return Build(0, words);
        }

        return Volatile.Read(ref s_texts[words]) ?? (s_texts[words] = Build(0, words));
    }

    /// <summary>Pieces <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1, concatenated.</summary>
    public static string Pieces(int start, int count) => start == 0 ? Text(count) : Build(start, count);

    private static string Build(int start, int count)
    {
        var builder = new System.Text.StringBuilder(count * 7);
        for (var i = start; i < start + count; i++)
        {
            builder.Append(Piece(i));
        }

        return builder.ToString();
    }
}
