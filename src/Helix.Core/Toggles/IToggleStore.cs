namespace Helix.Core.Toggles;

/// <summary>Where the toggles admins set are kept; locked toggles never are.</summary>
/// <remarks>Implementations are thread-safe. A name is unique, compared case-insensitively.</remarks>
public interface IToggleStore
{
    /// <summary>Every stored toggle.</summary>
    Task<IReadOnlyList<ToggleConfig>> GetTogglesAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="toggle"/>, replacing the one of the same name.</summary>
    /// <exception cref="ArgumentException">The toggle is locked: locked toggles are never stored.</exception>
    Task SaveToggleAsync(ToggleConfig toggle, CancellationToken cancellationToken = default);

    /// <summary>Deletes the toggle named <paramref name="name"/>; <see langword="false"/> when there was none.</summary>
    Task<bool> DeleteToggleAsync(string name, CancellationToken cancellationToken = default);
}
