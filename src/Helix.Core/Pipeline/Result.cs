using System.Diagnostics.CodeAnalysis;

namespace Helix.Core.Pipeline;

/// <summary>A value or the <see cref="GatewayError"/> that stopped it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly struct Result<T>
{
    private Result(T? value, GatewayError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value, when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The error, when not <see cref="IsSuccess"/>.</summary>
    public GatewayError? Error { get; }

    /// <summary>Whether there is a value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

#pragma warning disable CA2225 // implicit conversions are the point: `return error;` and `return value;`
    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(GatewayError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
#pragma warning restore CA2225
}
