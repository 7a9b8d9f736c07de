using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Calls.Chat;
using Helix.Core.Estimation;

namespace Helix.Core.Providers;

/// <summary>A chat request in the OpenAI chat-completions shape: the caller's UTF-8 bytes and the fields the pipeline reads.</summary>
/// <remarks>
/// Made by one forward read of the bytes (<see cref="Read"/>), which checks them against OpenAI's request schema and
/// captures the model, the stream flags, the user, the output caps, the service tier, the worst-case token estimate
/// and the prompt-prefix hash; no document of the body is built. An OpenAI-compatible upstream gets the same bytes
/// with only <c>model</c> (and the stream's usage request, or a route's output cap) changed
/// (<see cref="WriteUpstreamJson"/>); a translating adapter asks for a document (<see cref="ToJsonObject"/>), parsed
/// once on first use. Immutable after it is made, so it is reused across retries and fallbacks; the document it hands
/// out must not be mutated. A request read from a rented buffer returns it when disposed: dispose it only when the call
/// has ended (for a stream, after the stream), as its bytes are read until then.
/// </remarks>
public sealed class ChatRequest : IDisposable
{
    /// <summary>The longest <c>user</c> (and <c>X-Helix-User</c>) accepted: it is logged with every row.</summary>
    public const int MaxUserLength = 256;

    /// <summary>The most choices a call may ask for (OpenAI's own limit).</summary>
    public const int MaxChoices = 128;

    private static ReadOnlySpan<byte> ModelName => "\"model\":"u8;
    private static ReadOnlySpan<byte> StreamTrue => "\"stream\":true"u8;
    private static ReadOnlySpan<byte> StreamFalse => "\"stream\":false"u8;
    private static ReadOnlySpan<byte> StreamOptionsStart => "\"stream_options\":{"u8;
    private static ReadOnlySpan<byte> IncludeUsageTrue => "\"include_usage\":true}"u8;
    private static ReadOnlySpan<byte> MaxTokensName => "\"max_tokens\":"u8;
    private static ReadOnlySpan<byte> MaxCompletionTokensName => "\"max_completion_tokens\":"u8;

    private readonly byte[] _buffer;
    private readonly int _length;
    private readonly bool _rented;
    private readonly int[] _members;
    private readonly ChatRequest? _source;
    private JsonObject? _document;
    private bool _disposed;

    internal ChatRequest(byte[] buffer, int length, bool rented, int[] members, in ChatRequestFields fields)
    {
        _buffer = buffer;
        _length = length;
        _rented = rented;
        _members = members;
        Model = fields.Model;
        Stream = fields.Stream;
        IncludeUsage = fields.IncludeUsage;
        User = fields.User;
        ServiceTier = fields.ServiceTier;
        RequestedMaxTokens = fields.MaxCompletionTokens ?? fields.MaxTokens;
        Estimate = new RequestEstimate(fields.InputTokens, fields.ImageParts, RequestedMaxTokens);
        PromptPrefixHash = fields.PromptPrefixHash;
    }

    private ChatRequest(ChatRequest source, string capName, int cap)
    {
        _source = source;
        _buffer = source._buffer;
        _length = source._length;
        _members = source._members;
        Model = source.Model;
        Stream = source.Stream;
        IncludeUsage = source.IncludeUsage;
        User = source.User;
        ServiceTier = source.ServiceTier;
        RequestedMaxTokens = source.RequestedMaxTokens;
        Estimate = source.Estimate;
        PromptPrefixHash = source.PromptPrefixHash;
        OutputCapName = capName;
        OutputCap = cap;
    }

    /// <summary>The request's bytes as the caller sent them (a JSON object).</summary>
    /// <exception cref="ObjectDisposedException">The request was disposed.</exception>
    public ReadOnlyMemory<byte> Utf8Json
    {
        get
        {
            ThrowIfDisposed();
            return _buffer.AsMemory(0, _length);
        }
    }

    /// <summary>The <c>model</c> field when it is a string (<c>op:&lt;operation&gt;</c> on Helix's data plane).</summary>
    public string? Model { get; }

    /// <summary>Whether <c>stream</c> is <see langword="true"/>.</summary>
    public bool Stream { get; }

    /// <summary>Whether <c>stream_options.include_usage</c> is <see langword="true"/>: the caller wants the final usage chunk.</summary>
    public bool IncludeUsage { get; }

    /// <summary>The <c>user</c> field when it is a string that is not blank.</summary>
    public string? User { get; }

    /// <summary>The <c>service_tier</c> field when it is a string.</summary>
    public string? ServiceTier { get; }

    /// <summary>The output cap the request sets: <c>max_completion_tokens</c>, else <c>max_tokens</c>, when a positive whole number.</summary>
    public int? RequestedMaxTokens { get; }

    /// <summary>The input the request counts (tokenizer, message framing, media parts) and its output cap.</summary>
    public RequestEstimate Estimate { get; }

    /// <summary>The hash of the leading prompt (see <see cref="PromptPrefix"/>), or <see langword="null"/> when it has no leading text.</summary>
    public string? PromptPrefixHash { get; }

    /// <summary>The field a route's output cap is sent as (<c>max_tokens</c> or <c>max_completion_tokens</c>), or <see langword="null"/> when the caller's own is sent.</summary>
    public string? OutputCapName { get; }

    /// <summary>The route's output cap sent instead of the caller's (absent) one.</summary>
    public int? OutputCap { get; }

    /// <summary>Reads and checks a chat request's bytes in one forward pass.</summary>
    /// <param name="buffer">Holds the bytes from its start; the request keeps it (no copy).</param>
    /// <param name="length">How many bytes of <paramref name="buffer"/> are the body.</param>
    /// <param name="rented">Whether <paramref name="buffer"/> was rented from <see cref="ArrayPool{T}.Shared"/>: the request returns it when disposed. On a refusal the caller still owns it.</param>
    /// <param name="problem">Why the bytes are refused; <see langword="null"/> when the request is returned.</param>
    /// <returns>The request, or <see langword="null"/> when the bytes are not a JSON object or break the schema.</returns>
    /// <remarks>
    /// Duplicate keys are refused at every depth: which of two values counts would be up to each reader (and an
    /// upstream may disagree). The bytes must be valid UTF-8 without lone surrogate escapes (the gateway checks that
    /// before it reads).
    /// </remarks>
    public static ChatRequest? Read(byte[] buffer, int length, bool rented, out ChatRequestProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, buffer.Length);
        return ChatRequestReader.Read(buffer, length, rented, strict: true, out problem);
    }

    /// <summary>Reads a request built in process; nothing is checked beyond the bytes being a JSON object.</summary>
    /// <exception cref="JsonException"><paramref name="utf8Json"/> is not a JSON object.</exception>
    public static ChatRequest Parse(ReadOnlySpan<byte> utf8Json) => ReadInProcess(utf8Json.ToArray());

    /// <summary>Reads a request built in process as a document (the <c>IChatClient</c> entry, tests); nothing is checked.</summary>
    public static ChatRequest FromJsonObject(JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ReadInProcess(JsonSerializer.SerializeToUtf8Bytes(request));
    }

    private static ChatRequest ReadInProcess(byte[] buffer) =>
        ChatRequestReader.Read(buffer, buffer.Length, rented: false, strict: false, out var problem)
            ?? throw new JsonException(problem?.Message);

    /// <summary>Whether <paramref name="user"/> is short enough and has no control characters.</summary>
    public static bool IsValidUser(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Length > MaxUserLength)
        {
            return false;
        }

        foreach (var c in user)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The same request sent with a route's output cap as <paramref name="name"/>, the caller's (absent or null) caps left out.</summary>
    /// <remarks>Shares this request's bytes: it is valid as long as this one is, and disposing it does nothing.</remarks>
    public ChatRequest WithOutputCap(string name, int cap)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is not ("max_tokens" or "max_completion_tokens"))
        {
            throw new ArgumentException("The cap is sent as max_tokens or max_completion_tokens.", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cap);
        return new ChatRequest(_source ?? this, name, cap);
    }

    /// <summary>The request as a document, parsed on first use and kept (with the output cap applied, if any).</summary>
    /// <remarks>For translating adapters, which are not the hot path. The document is shared: do not mutate it.</remarks>
    public JsonObject ToJsonObject()
    {
        ThrowIfDisposed();
        if (_document is { } document)
        {
            return document;
        }

        // Two threads may both parse: either result is the same and the later one wins harmlessly.
        if (_source is not null)
        {
            var copy = (JsonObject)_source.ToJsonObject().DeepClone();
            copy.Remove("max_tokens");
            copy.Remove("max_completion_tokens");
            copy[OutputCapName!] = OutputCap;
            return _document = copy;
        }

        return _document = JsonNode.Parse(_buffer.AsSpan(0, _length))!.AsObject();
    }

    /// <summary>
    /// The body for an OpenAI-compatible upstream: the caller's bytes with <c>model</c> set to <paramref name="model"/>,
    /// unknown fields intact byte for byte.
    /// </summary>
    /// <remarks>
    /// A stream always asks for usage (<c>"stream":true</c> and <c>stream_options.include_usage</c>, merged into the
    /// caller's options), so a streamed call is never priced blind; a non-streamed call drops <c>stream_options</c>,
    /// which upstreams reject without <c>stream</c>. A route's output cap (<see cref="WithOutputCap"/>) replaces the
    /// caller's caps. The result is a new array of exactly the body's size, owned by the caller (an HTTP client may
    /// still be sending it after the call has ended).
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The request was disposed.</exception>
    public ReadOnlyMemory<byte> WriteUpstreamJson(string model, bool stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ThrowIfDisposed();
        var escapedModel = EscapedModel(model);
        var counter = new Output(default);
        Write(ref counter, model, escapedModel, stream);
        var bytes = new byte[counter.Written];
        var output = new Output(bytes);
        Write(ref output, model, escapedModel, stream);
        return bytes;
    }

    /// <summary>Returns a rented buffer to the pool; the request's bytes are not read afterwards.</summary>
    public void Dispose()
    {
        if (_disposed || _source is not null)
        {
            return;
        }

        _disposed = true;
        if (_rented)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed || (_source?._disposed ?? false), this);

    // The members are kept as (name start, value start, value end, kind) quadruples, in the order they came; only the kinds that change
    // are looked at, every other member is one span copy.
    private void Write(ref Output output, string model, byte[]? escapedModel, bool stream)
    {
        var json = _buffer.AsSpan(0, _length);
        var hasModel = false;
        var hasStream = false;
        var hasStreamOptions = false;
        for (var i = 0; i < _members.Length; i += 4)
        {
            var kind = (ChatRequestMember)_members[i + 3];
            hasModel |= kind == ChatRequestMember.Model;
            hasStream |= kind == ChatRequestMember.Stream;
            hasStreamOptions |= kind == ChatRequestMember.StreamOptions;
        }

        output.Write((byte)'{');
        var first = true;
        if (!hasModel)
        {
            WriteModel(ref output, ref first, model, escapedModel);
        }

        for (var i = 0; i < _members.Length; i += 4)
        {
            var member = json[_members[i].._members[i + 2]];
            switch ((ChatRequestMember)_members[i + 3])
            {
                case ChatRequestMember.Model:
                    WriteModel(ref output, ref first, model, escapedModel);
                    break;
                case ChatRequestMember.Stream:
                    Separate(ref output, ref first);
                    output.Write(stream ? StreamTrue : StreamFalse);
                    break;
                case ChatRequestMember.StreamOptions:
                    if (stream)
                    {
                        Separate(ref output, ref first);
                        WriteStreamOptions(ref output, json[_members[i + 1].._members[i + 2]]);
                    }

                    break;
                case ChatRequestMember.MaxTokens or ChatRequestMember.MaxCompletionTokens when OutputCap is not null:
                    break;
                default:
                    Separate(ref output, ref first);
                    output.Write(member);
                    break;
            }
        }

        if (OutputCap is { } cap)
        {
            Separate(ref output, ref first);
            output.Write(OutputCapName == "max_tokens" ? MaxTokensName : MaxCompletionTokensName);
            output.WriteNumber(cap);
        }

        if (stream && !hasStream)
        {
            Separate(ref output, ref first);
            output.Write(StreamTrue);
        }

        if (stream && !hasStreamOptions)
        {
            Separate(ref output, ref first);
            output.Write(StreamOptionsStart);
            output.Write(IncludeUsageTrue);
        }

        output.Write((byte)'}');
    }

    private static void WriteModel(ref Output output, ref bool first, string model, byte[]? escapedModel)
    {
        Separate(ref output, ref first);
        output.Write(ModelName);
        output.Write((byte)'"');
        if (escapedModel is null)
        {
            output.WriteAscii(model);
        }
        else
        {
            output.Write(escapedModel);
        }

        output.Write((byte)'"');
    }

    private static void Separate(ref Output output, ref bool first)
    {
        if (!first)
        {
            output.Write((byte)',');
        }

        first = false;
    }

    // The caller's other options are kept in their order; include_usage is always sent, last, as true.
    private static void WriteStreamOptions(ref Output output, ReadOnlySpan<byte> value)
    {
        output.Write(StreamOptionsStart);
        var reader = new Utf8JsonReader(value);
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var start = (int)reader.TokenStartIndex;
                var skip = reader.ValueTextEquals("include_usage"u8);
                reader.Read();
                reader.Skip();
                if (!skip)
                {
                    output.Write(value[start..(int)reader.BytesConsumed]);
                    output.Write((byte)',');
                }
            }
        }

        output.Write(IncludeUsageTrue);
    }

    // Model names are plain ASCII in practice: written as they are, with no encoder and no allocation.
    private static byte[]? EscapedModel(string model)
    {
        foreach (var c in model)
        {
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                return JsonEncodedText.Encode(model).EncodedUtf8Bytes.ToArray();
            }
        }

        return null;
    }

    // Counts when it has no destination, so the body is measured and then written into an array of its exact size.
    private ref struct Output(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Written { get; private set; }

        public void Write(byte value)
        {
            if (!_destination.IsEmpty)
            {
                _destination[Written] = value;
            }

            Written++;
        }

        public void Write(scoped ReadOnlySpan<byte> value)
        {
            if (!_destination.IsEmpty)
            {
                value.CopyTo(_destination[Written..]);
            }

            Written += value.Length;
        }

        public void WriteAscii(string value)
        {
            if (!_destination.IsEmpty)
            {
                for (var i = 0; i < value.Length; i++)
                {
                    _destination[Written + i] = (byte)value[i];
                }
            }

            Written += value.Length;
        }

        public void WriteNumber(int value)
        {
            Span<byte> digits = stackalloc byte[11];
            System.Buffers.Text.Utf8Formatter.TryFormat(value, digits, out var length);
            Write(digits[..length]);
        }
    }
}
