namespace Helix.Core.Feedback;

/// <summary>Puts the two accepted feedback scales on one: quality from 0 (worst) to 1 (best).</summary>
/// <remarks>
/// A score from -1 to 1 (thumbs down, neutral, up, or anything between) maps linearly, -1 → 0 and 1 → 1. A score
/// above 1 and at most 5 is read on the five-star scale, 1 → 0 and 5 → 1. The two scales share the value 1, which is
/// read as the top of the -1..1 scale: a five-star client's worst mark is best sent as -1 or 0.
/// </remarks>
public static class FeedbackScore
{
    /// <summary>The longest comment kept, in characters.</summary>
    public const int MaxCommentLength = 2000;

    /// <summary>Normalises <paramref name="score"/>; false when it is on neither scale.</summary>
    public static bool TryNormalize(decimal score, out decimal quality)
    {
        if (score is >= -1m and <= 1m)
        {
            quality = (score + 1m) / 2m;
            return true;
        }

        if (score is > 1m and <= 5m)
        {
            quality = (score - 1m) / 4m;
            return true;
        }

        quality = 0;
        return false;
    }
}
