namespace Helix.Simulator.Wire;

/// <summary>The deterministic text of simulated transcripts: plausible English speech, one token per word.</summary>
/// <remarks>
/// A short meeting, cycled: sentences start with a capital and end with a full stop, so a transcript reads like what a
/// speech-to-text model returns. <see cref="Word"/> is the bare lowercase word, as Deepgram's <c>words[].word</c>.
/// Thread-safe.
/// </remarks>
internal static class TranscriptText
{
    private static readonly string[][] s_sentences =
    [
        ["thanks", "everyone", "for", "joining", "the", "call", "today"],
        ["let's", "start", "with", "the", "numbers", "for", "the", "quarter"],
        ["revenue", "grew", "eight", "percent", "compared", "with", "last", "year"],
        ["the", "support", "team", "closed", "most", "of", "the", "open", "tickets"],
        ["next", "we", "will", "review", "the", "launch", "plan", "for", "the", "new", "release"],
        ["please", "send", "your", "questions", "before", "friday"],
    ];

    private static readonly string[] s_words = [.. s_sentences.SelectMany(s => s)];
    private static readonly bool[] s_endsSentence = [.. s_sentences.SelectMany(s => s.Select((_, i) => i == s.Length - 1))];

    /// <summary>The word at <paramref name="index"/>: lowercase, no punctuation.</summary>
    public static string Word(int index) => s_words[index % s_words.Length];

    /// <summary>A transcript of <paramref name="words"/> words: sentences capitalised, each ended with a full stop, and the last too.</summary>
    public static string Text(int words)
    {
        if (words <= 0)
        {
            return string.Empty;
        }

        var builder = new System.Text.StringBuilder(words * 7);
        var startOfSentence = true;
        for (var i = 0; i < words; i++)
        {
            var word = Word(i);
            if (i > 0)
            {
                builder.Append(' ');
            }

            if (startOfSentence)
            {
                builder.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
            }
            else
            {
                builder.Append(word);
            }

            startOfSentence = s_endsSentence[i % s_words.Length];
            if (startOfSentence || i == words - 1)
            {
                builder.Append('.');
            }
        }

        return builder.ToString();
    }
}
