using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Helix.Core.Tests.Hosting;

/// <summary>A logger that keeps every entry and signals each one.</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class RecordingLogger<T> : ILogger<T>, IDisposable
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries => [.. _entries];

    /// <summary>Released once per entry logged.</summary>
    public SemaphoreSlim Logged { get; } = new(0);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue((logLevel, formatter(state, exception), exception));
        Logged.Release();
    }

    public void Dispose() => Logged.Dispose();
}
