using System.Diagnostics.CodeAnalysis;

namespace Helix.Core.Providers;

/// <summary>A provider call's value or its <see cref="ProviderError"/>.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly struct ProviderResult<T>
{
    private ProviderResult(T? value, ProviderError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public ProviderError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static ProviderResult<T> Success(T value) => new(value, null);

    public static ProviderResult<T> Failure(ProviderError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

#pragma warning disable CA2225 // conversions keep adapters terse: `return error;`
    public static implicit operator ProviderResult<T>(ProviderError error) => Failure(error);
#pragma warning restore CA2225
}
