using System.Diagnostics.CodeAnalysis;
using Helix.Core.Pipeline;

namespace Helix.Gateway.DataPlane;

/// <summary>A validated request, or why it was refused and which field (<c>param</c>) is at fault.</summary>
internal readonly struct Checked<T>
{
    private Checked(T? value, GatewayError? error, string? param)
    {
        Value = value;
        Error = error;
        Param = param;
    }

    public T? Value { get; }

    public GatewayError? Error { get; }

    public string? Param { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Error is null;

    public static Checked<T> Fail(GatewayError error, string? param = null) => new(default, error, param);

    public static Checked<T> Invalid(string message, string? param, string code = "invalid_request", int statusCode = 400) =>
        new(default, new GatewayError(code, message, statusCode, "invalid_request_error"), param);

    public IResult ToResult(HttpContext context) => OpenAIErrors.From(Error!, context, Param);

#pragma warning disable CA2225 // `return value;` is the point
    public static implicit operator Checked<T>(T value) => new(value, null, null);
#pragma warning restore CA2225
}
