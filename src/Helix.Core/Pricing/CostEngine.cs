using Helix.Core.Metering;

namespace Helix.Core.Pricing;

/// <summary>Prices calls with the current price book; admins publish a new book without a restart.</summary>
/// <remarks>
/// Thread-safe. Readers take the current book reference without locking; <see cref="Publish"/> swaps it whole.
/// The model the response reports (a dated snapshot) is priced in preference to the one requested.
/// </remarks>
public sealed class CostEngine
{
    private PriceBook _book;

    /// <summary>Creates an engine over <paramref name="book"/>.</summary>
    public CostEngine(PriceBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        _book = book;
    }

    /// <summary>The book in force.</summary>
    public PriceBook Book => Volatile.Read(ref _book);

    /// <summary>Makes <paramref name="book"/> the book in force.</summary>
    public void Publish(PriceBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        Volatile.Write(ref _book, book);
    }

    /// <summary>Finds the price that applies to a call.</summary>
    /// <param name="provider">The provider id.</param>
    /// <param name="requestedModel">The provider model id that was asked for.</param>
    /// <param name="reportedModel">The model the response names, if any; preferred when the book knows it.</param>
    /// <param name="at">When the call was made.</param>
    /// <param name="price">The price in force.</param>
    public bool TryFindPrice(string provider, string requestedModel, string? reportedModel, DateTimeOffset at, out PriceEntry? price)
    {
        var book = Book;
        if (!string.IsNullOrEmpty(reportedModel) && book.TryFind(provider, reportedModel, at, out price))
        {
            return true;
        }

        return book.TryFind(provider, requestedModel, at, out price);
    }

    /// <summary>Prices a completed call from its usage report.</summary>
    /// <param name="provider">The provider id.</param>
    /// <param name="requestedModel">The provider model id that was asked for.</param>
    /// <param name="usage">The provider's usage report; it must be <see cref="UsageReport.IsKnown"/>.</param>
    /// <param name="at">When the call was made.</param>
    /// <param name="serviceTier">The tier asked for, used when the response does not say.</param>
    public CostResult Price(string provider, string requestedModel, in UsageReport usage, DateTimeOffset at, string? serviceTier = null)
    {
        if (!TryFindPrice(provider, requestedModel, usage.ReportedModel, at, out var price))
        {
            return CostResult.Unpriced(null, $"no price for {provider}/{usage.ReportedModel ?? requestedModel} at {at:O}");
        }

        return CostCalculator.Calculate(price!, usage.Meters, usage.ServiceTier ?? serviceTier, at);
    }
}
