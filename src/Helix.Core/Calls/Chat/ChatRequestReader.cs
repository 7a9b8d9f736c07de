using System.Buffers;
using System.Text;
using System.Text.Json;
using Helix.Core.Estimation;
using Helix.Core.Providers;

namespace Helix.Core.Calls.Chat;

/// <summary>One forward read of a chat request's bytes: the schema checks, the fields the pipeline needs, the estimate and the prefix hash.</summary>
/// <remarks>
/// The read walks every token once with <see cref="Utf8JsonReader"/> and keeps no document. It answers what the
/// checks on a parsed document answered: the first field (in the body's order) that breaks OpenAI's request schema,
/// named by its path (<c>messages[3].content</c>), with the same words; inside a message the role is blamed before
/// the content, the content before <c>name</c>, <c>tool_call_id</c> and <c>tool_calls</c>, whatever their order.
/// Malformed JSON and duplicate keys (at any depth) win over a schema problem, as they did when the parse came first.
/// Strings are read in place (escaped ones unescaped into pooled scratch); the only strings made are the fields kept
/// (model, user, service tier) and the message of a refusal. The estimate counts each message's text with the
/// tokenizer, and the raw JSON of <c>tools</c> and <c>tool_calls</c>; the prefix hash re-reads only the leading
/// messages' content, once their role is known (a role may follow its content). Unknown fields are only walked (for
/// their syntax and duplicate keys). With <c>strict</c> off (a request built in process) nothing but the syntax is
/// refused. One instance per read; not thread-safe.
/// </remarks>
internal ref struct ChatRequestReader
{
    // OpenAI's documented framing: every message costs a few tokens beyond its content, every reply is primed with 3.
    private const int TokensPerMessage = 4;
    private const int ReplyPriming = 3;

    // Objects with more names than this check duplicates with a set instead of comparing each pair.
    private const int LinearNames = 32;

    private static readonly string[] s_roles = ["system", "developer", "user", "assistant", "tool", "function"];

    private readonly byte[] _buffer;
    private readonly bool _strict;
    private Utf8JsonReader _reader;
    private ChatRequestProblem? _problem;
    private ChatRequestFields _fields;
    private bool _hasMessages;
    private PromptPrefix.State _prefix;
    private bool _prefixOpen;

    private int[] _members;
    private int _memberCount;

    // Names of the objects open on the path, as (offset, length, in-side-buffer) triples; frames as (first name, side length, id).
    private int[] _names;
    private int _nameCount;
    private int[] _frames;
    private int _frameCount;
    private int _frameIds;
    private byte[]? _side;
    private int _sideLength;
    private HashSet<(int Frame, string Name)>? _largeFrames;

    private char[]? _chars;
    private byte[]? _bytes;

    private ChatRequestReader(byte[] buffer, int length, bool strict)
    {
        _buffer = buffer;
        _strict = strict;
        _reader = new Utf8JsonReader(buffer.AsSpan(0, length));
        _fields.InputTokens = ReplyPriming;
        _prefixOpen = true;
        _members = ArrayPool<int>.Shared.Rent(48);
        _names = ArrayPool<int>.Shared.Rent(96);
        _frames = ArrayPool<int>.Shared.Rent(48);
    }

    private readonly bool Open => _strict && _problem is null;

    public static ChatRequest? Read(byte[] buffer, int length, bool rented, bool strict, out ChatRequestProblem? problem)
    {
        var reader = new ChatRequestReader(buffer, length, strict);
        try
        {
            return reader.Run(length, rented, out problem);
        }
        finally
        {
            reader.ReturnScratch();
        }
    }

    private ChatRequest? Run(int length, bool rented, out ChatRequestProblem? problem)
    {
        try
        {
            _reader.Read();
            if (_reader.TokenType != JsonTokenType.StartObject)
            {
                _reader.Skip();
                while (_reader.Read())
                {
                }

                problem = new ChatRequestProblem("The request body must be a JSON object.", null);
                return null;
            }

            ReadRoot();
            while (_reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            problem = new ChatRequestProblem($"The request body is not valid JSON: {ex.Message}", null);
            return null;
        }

        if (_strict && !_hasMessages)
        {
            problem = new ChatRequestProblem("'messages' is required and must be a non-empty array.", "messages");
            return null;
        }

        if (_problem is not null)
        {
            problem = _problem;
            return null;
        }

        problem = null;
        _fields.PromptPrefixHash = _prefix.Result;
        return new ChatRequest(_buffer, length, rented, _members.AsSpan(0, _memberCount).ToArray(), _fields);
    }

    private void ReadRoot()
    {
        BeginObject();
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)_reader.TokenStartIndex;
            var field = FieldOf(AddName());
            _reader.Read();
            var valueStart = (int)_reader.TokenStartIndex;
            var member = ReadField(field);
            AddMember(start, valueStart, (int)_reader.BytesConsumed, member);
        }

        EndObject();
    }

    private ChatRequestMember ReadField(Field field)
    {
        switch (field)
        {
            case Field.Model:
                if (_reader.TokenType == JsonTokenType.String)
                {
                    _fields.Model = _reader.GetString();
                }

                String("model");
                return ChatRequestMember.Model;
            case Field.Messages:
                Messages();
                break;
            case Field.MaxTokens:
                _fields.MaxTokens = Cap();
                Integer("max_tokens", 1, int.MaxValue);
                return ChatRequestMember.MaxTokens;
            case Field.MaxCompletionTokens:
                _fields.MaxCompletionTokens = Cap();
                Integer("max_completion_tokens", 1, int.MaxValue);
                return ChatRequestMember.MaxCompletionTokens;
            case Field.N:
                Integer("n", 1, ChatRequest.MaxChoices);
                break;
            case Field.TopLogprobs:
                Integer("top_logprobs", 0, 20);
                break;
            case Field.Seed:
                Integer("seed", long.MinValue, long.MaxValue);
                break;
            case Field.Temperature:
                Number("temperature", 0, 2);
                break;
            case Field.TopP:
                Number("top_p", 0, 1);
                break;
            case Field.PresencePenalty:
                Number("presence_penalty", -2, 2);
                break;
            case Field.FrequencyPenalty:
                Number("frequency_penalty", -2, 2);
                break;
            case Field.Stream:
                _fields.Stream = _reader.TokenType == JsonTokenType.True;
                Boolean("stream");
                return ChatRequestMember.Stream;
            case Field.Logprobs:
                Boolean("logprobs");
                break;
            case Field.ParallelToolCalls:
                Boolean("parallel_tool_calls");
                break;
            case Field.Store:
                Boolean("store");
                break;
            case Field.StreamOptions:
                StreamOptions();
                return ChatRequestMember.StreamOptions;
            case Field.Stop:
                Stop();
                break;
            case Field.Tools:
                Tools();
                break;
            case Field.ToolChoice:
                if (_reader.TokenType is not (JsonTokenType.Null or JsonTokenType.StartObject or JsonTokenType.String) && Open)
                {
                    Fail("'tool_choice' must be a string or an object.", "tool_choice");
                }

                Walk();
                break;
            case Field.ResponseFormat:
                if (!ObjectWithType() && Open)
                {
                    Fail("'response_format' must be an object with a string 'type'.", "response_format");
                }

                break;
            case Field.User:
                User();
                break;
            case Field.LogitBias:
                MapOf("logit_bias", JsonTokenType.Number);
                break;
            case Field.Metadata:
                MapOf("metadata", JsonTokenType.String);
                break;
            case Field.ServiceTier:
                if (_reader.TokenType == JsonTokenType.String)
                {
                    _fields.ServiceTier = _reader.GetString();
                }

                String("service_tier");
                break;
            case Field.ReasoningEffort:
                String("reasoning_effort");
                break;
            case Field.Verbosity:
                String("verbosity");
                break;
            case Field.PromptCacheKey:
                String("prompt_cache_key");
                break;
            case Field.SafetyIdentifier:
                String("safety_identifier");
                break;
            case Field.Modalities:
                ArrayOfStrings("modalities", int.MaxValue);
                break;
            default:
                Walk();
                break;
        }

        return ChatRequestMember.Other;
    }

    private void Messages()
    {
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            Walk();
            return;
        }

        var index = 0;
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            Message(index++);
        }

        _hasMessages = index > 0;
    }

    // A field's path (messages[3].content) is built only for the answer that blames it: a valid call makes no strings.
    private void Message(int index)
    {
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            if (Open)
            {
                var param = $"messages[{index}]";
                Fail($"'{param}' must be an object with a 'role'.", param);
            }

            Walk();
            _prefixOpen = false;
            return;
        }

        _fields.InputTokens += TokensPerMessage;
        var validRole = false;
        var leading = false;
        var contentStart = -1;
        var contentEnd = -1;
        var contentProblem = ContentProblem.None;
        var contentPart = 0;
        var badName = false;
        var badToolCallId = false;
        var badToolCalls = false;
        BeginObject();
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = AddName();
            _reader.Read();
            if (name.SequenceEqual("role"u8))
            {
                validRole = IsRole();
                leading = _reader.TokenType == JsonTokenType.String
                    && (_reader.ValueTextEquals("system"u8) || _reader.ValueTextEquals("developer"u8));
            }
            else if (name.SequenceEqual("content"u8))
            {
                contentStart = (int)_reader.TokenStartIndex;
                contentProblem = Content(out contentPart);
                contentEnd = (int)_reader.BytesConsumed;
                continue;
            }
            else if (name.SequenceEqual("name"u8))
            {
                badName = _reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null);
            }
            else if (name.SequenceEqual("tool_call_id"u8))
            {
                badToolCallId = _reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null);
            }
            else if (name.SequenceEqual("tool_calls"u8))
            {
                badToolCalls = !ToolCalls();
                continue;
            }

            Walk();
        }

        EndObject();
        if (Open)
        {
            FailMessage(index, validRole, contentProblem, contentPart, badName, badToolCallId, badToolCalls);
        }

        if (_prefixOpen)
        {
            if (!leading && index > 0)
            {
                _prefixOpen = false;
            }
            else
            {
                if (contentStart >= 0)
                {
                    HashContent(_buffer.AsSpan(contentStart, contentEnd - contentStart));
                }

                _prefixOpen = leading && _prefix.Remaining > 0;
            }
        }
    }

    private void FailMessage(int index, bool validRole, ContentProblem content, int part, bool badName, bool badToolCallId, bool badToolCalls)
    {
        if (!validRole)
        {
            var param = $"messages[{index}]";
            Fail($"'{param}.role' must be one of {string.Join(", ", s_roles)}.", param + ".role");
        }
        else if (content == ContentProblem.NotStringOrParts)
        {
            var param = $"messages[{index}].content";
            Fail($"'{param}' must be a string or an array of content parts.", param);
        }
        else if (content == ContentProblem.PartType)
        {
            var param = $"messages[{index}].content[{part}]";
            Fail($"'{param}' must be an object with a string 'type'.", param);
        }
        else if (content == ContentProblem.PartText)
        {
            var param = $"messages[{index}].content[{part}]";
            Fail($"'{param}.text' must be a string.", param + ".text");
        }
        else if (badName || badToolCallId)
        {
            var param = $"messages[{index}].{(badName ? "name" : "tool_call_id")}";
            Fail($"'{param}' must be a string.", param);
        }
        else if (badToolCalls)
        {
            var param = $"messages[{index}].tool_calls";
            Fail($"'{param}' must be an array of objects.", param);
        }
    }

    private bool IsRole()
    {
        if (_reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        foreach (var role in s_roles)
        {
            if (_reader.ValueTextEquals(role))
            {
                return true;
            }
        }

        return false;
    }

    // Counts the content's text and media parts; answers its first problem (and the part that has it).
    private ContentProblem Content(out int problemPart)
    {
        problemPart = 0;
        switch (_reader.TokenType)
        {
            case JsonTokenType.String:
                _fields.InputTokens += CountString();
                return ContentProblem.None;
            case JsonTokenType.Null:
                return ContentProblem.None;
            case JsonTokenType.StartArray:
                break;
            default:
                Walk();
                return ContentProblem.NotStringOrParts;
        }

        var problem = ContentProblem.None;
        var index = 0;
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            var partProblem = _reader.TokenType == JsonTokenType.StartObject ? Part() : WalkAnd(ContentProblem.PartType);
            if (problem == ContentProblem.None && partProblem != ContentProblem.None)
            {
                problem = partProblem;
                problemPart = index;
            }

            index++;
        }

        return problem;
    }

    private ContentProblem Part()
    {
        var typeIsString = false;
        var isText = false;
        var textIsString = false;
        BeginObject();
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = AddName();
            _reader.Read();
            if (name.SequenceEqual("type"u8))
            {
                typeIsString = _reader.TokenType == JsonTokenType.String;
                isText = typeIsString && _reader.ValueTextEquals("text"u8);
            }
            else if (name.SequenceEqual("text"u8) && _reader.TokenType == JsonTokenType.String)
            {
                textIsString = true;
                _fields.InputTokens += CountString();
            }

            Walk();
        }

        EndObject();
        if (!textIsString)
        {
            _fields.ImageParts++;
        }

        return !typeIsString ? ContentProblem.PartType
            : isText && !textIsString ? ContentProblem.PartText
            : ContentProblem.None;
    }

    private ContentProblem WalkAnd(ContentProblem problem)
    {
        Walk();
        return problem;
    }

    private bool ToolCalls()
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            Walk();
            return false;
        }

        var start = (int)_reader.TokenStartIndex;
        var valid = true;
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            valid &= _reader.TokenType == JsonTokenType.StartObject;
            Walk();
        }

        _fields.InputTokens += CountRaw(start, (int)_reader.BytesConsumed);
        return valid;
    }

    private void Tools()
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            if (Open)
            {
                Fail("'tools' must be an array of tool objects.", "tools");
            }

            Walk();
            return;
        }

        var start = (int)_reader.TokenStartIndex;
        var index = 0;
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            if (_reader.TokenType == JsonTokenType.Null)
            {
                index++;
                continue;
            }

            var typed = false;
            var badFunction = false;
            if (_reader.TokenType == JsonTokenType.StartObject)
            {
                BeginObject();
                while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = AddName();
                    _reader.Read();
                    if (name.SequenceEqual("type"u8))
                    {
                        typed = _reader.TokenType == JsonTokenType.String;
                    }
                    else if (name.SequenceEqual("function"u8) && _reader.TokenType != JsonTokenType.Null)
                    {
                        badFunction = !NamedObject();
                        continue;
                    }

                    Walk();
                }

                EndObject();
            }
            else
            {
                Walk();
            }

            if (Open && (!typed || badFunction))
            {
                var param = $"tools[{index}]";
                if (!typed)
                {
                    Fail($"'{param}' must be an object with a string 'type'.", param);
                }
                else
                {
                    Fail($"'{param}.function' must be an object with a string 'name'.", param + ".function");
                }
            }

            index++;
        }

        _fields.InputTokens += CountRaw(start, (int)_reader.BytesConsumed);
    }

    // An object whose "name" is a string (a tool's function).
    private bool NamedObject() => ObjectWithString("name"u8);

    // Null, or an object whose "type" is a string.
    private bool ObjectWithType() => _reader.TokenType == JsonTokenType.Null || ObjectWithString("type"u8);

    // An object whose member `member` is a string; anything else is walked past and answers false.
    private bool ObjectWithString(ReadOnlySpan<byte> member)
    {
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            Walk();
            return false;
        }

        var found = false;
        BeginObject();
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = AddName();
            _reader.Read();
            if (name.SequenceEqual(member))
            {
                found = _reader.TokenType == JsonTokenType.String;
            }

            Walk();
        }

        EndObject();
        return found;
    }

    private void StreamOptions()
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            if (Open)
            {
                Fail("'stream_options' must be an object.", "stream_options");
            }

            Walk();
            return;
        }

        BeginObject();
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = AddName();
            _reader.Read();
            if (name.SequenceEqual("include_usage"u8))
            {
                _fields.IncludeUsage = _reader.TokenType == JsonTokenType.True;
                Boolean("stream_options.include_usage");
                continue;
            }

            Walk();
        }

        EndObject();
    }

    private void Stop()
    {
        if (_reader.TokenType is JsonTokenType.String or JsonTokenType.Null)
        {
            return;
        }

        ArrayOfStrings("stop", 4);
    }

    private void ArrayOfStrings(string param, int maxCount)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        var count = 0;
        var allStrings = true;
        var isArray = _reader.TokenType == JsonTokenType.StartArray;
        if (isArray)
        {
            while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
            {
                allStrings &= _reader.TokenType == JsonTokenType.String;
                count++;
                Walk();
            }
        }
        else
        {
            Walk();
        }

        if (!Open || (isArray && count <= maxCount && allStrings))
        {
            return;
        }

        Fail(
            maxCount == int.MaxValue || (isArray && count <= maxCount)
                ? $"'{param}' must be an array of strings."
                : $"'{param}' must be a string or an array of at most {maxCount} strings.",
            param);
    }

    private void MapOf(string param, JsonTokenType kind)
    {
        if (_reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            if (Open)
            {
                Fail($"'{param}' must be an object.", param);
            }

            Walk();
            return;
        }

        var valid = true;
        BeginObject();
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            AddName();
            _reader.Read();
            valid &= _reader.TokenType == kind;
            Walk();
        }

        EndObject();
        if (!valid && Open)
        {
            Fail($"'{param}' must be an object whose values are {(kind == JsonTokenType.Number ? "numbers" : "strings")}.", param);
        }
    }

    private void User()
    {
        switch (_reader.TokenType)
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.String:
                var user = _reader.GetString()!;
                if (!ChatRequest.IsValidUser(user))
                {
                    if (Open)
                    {
                        Fail($"'user' must be at most {ChatRequest.MaxUserLength} characters, without control characters.", "user");
                    }

                    return;
                }

                _fields.User = string.IsNullOrWhiteSpace(user) ? null : user;
                return;
            default:
                if (Open)
                {
                    Fail("'user' must be a string.", "user");
                }

                Walk();
                return;
        }
    }

    private void String(string param)
    {
        if (_reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null) && Open)
        {
            Fail($"'{param}' must be a string.", param);
        }

        Walk();
    }

    private void Boolean(string param)
    {
        if (_reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null) && Open)
        {
            Fail($"'{param}' must be true or false.", param);
        }

        Walk();
    }

    private void Integer(string param, long min, long max)
    {
        var valid = _reader.TokenType == JsonTokenType.Null
            || (_reader.TokenType == JsonTokenType.Number && _reader.TryGetInt64(out var number) && number >= min && number <= max);
        if (!valid && Open)
        {
            Fail($"'{param}' must be a whole number from {min} to {max}.", param);
        }

        Walk();
    }

    private void Number(string param, double min, double max)
    {
        var valid = _reader.TokenType == JsonTokenType.Null
            || (_reader.TokenType == JsonTokenType.Number && _reader.TryGetDouble(out var number) && number >= min && number <= max);
        if (!valid && Open)
        {
            Fail($"'{param}' must be a number from {min} to {max}.", param);
        }

        Walk();
    }

    private int? Cap() =>
        _reader.TokenType == JsonTokenType.Number && _reader.TryGetInt32(out var cap) && cap > 0 ? cap : null;

    private void Fail(string message, string? param) => _problem ??= new ChatRequestProblem(message, param);

    // Reads past the current value; objects inside it are still checked for duplicate keys.
    private void Walk()
    {
        switch (_reader.TokenType)
        {
            case JsonTokenType.StartObject:
                BeginObject();
                while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
                {
                    AddName();
                    _reader.Read();
                    Walk();
                }

                EndObject();
                break;
            case JsonTokenType.StartArray:
                while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
                {
                    Walk();
                }

                break;
        }
    }

    private int CountString()
    {
        var span = _reader.ValueSpan;
        var chars = Chars(span.Length);
        if (!_reader.ValueIsEscaped)
        {
            return TokenCounter.Count(chars.AsSpan(0, Encoding.UTF8.GetChars(span, chars)));
        }

        try
        {
            return TokenCounter.Count(chars.AsSpan(0, _reader.CopyString(chars)));
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape (possible only in process: the gateway refuses them): count the escaped text.
            return TokenCounter.Count(chars.AsSpan(0, Encoding.UTF8.GetChars(span, chars)));
        }
    }

    private int CountRaw(int start, int end)
    {
        var span = _buffer.AsSpan(start, end - start);
        var chars = Chars(span.Length);
        return TokenCounter.Count(chars.AsSpan(0, Encoding.UTF8.GetChars(span, chars)));
    }

    private char[] Chars(int length)
    {
        if (_chars is null || _chars.Length < length)
        {
            if (_chars is not null)
            {
                ArrayPool<char>.Shared.Return(_chars);
            }

            _chars = ArrayPool<char>.Shared.Rent(Math.Max(length, 256));
        }

        return _chars;
    }

    // The content of a leading message: a string, or the text of each part; at most PromptPrefix.MaxBytes in all.
    private void HashContent(ReadOnlySpan<byte> content)
    {
        var reader = new Utf8JsonReader(content);
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            AddText(ref reader);
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray && _prefix.Remaining > 0)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    AddText(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private void AddText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            _prefix.Add(reader.ValueSpan);
            return;
        }

        var length = reader.ValueSpan.Length;
        if (_bytes is null || _bytes.Length < length)
        {
            if (_bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(_bytes);
            }

            _bytes = ArrayPool<byte>.Shared.Rent(length);
        }

        try
        {
            _prefix.Add(_bytes.AsSpan(0, reader.CopyString(_bytes)));
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape (in process only): the escaped text stands for it.
            _prefix.Add(reader.ValueSpan);
        }
    }

    private void AddMember(int start, int valueStart, int end, ChatRequestMember kind)
    {
        if (_memberCount + 4 > _members.Length)
        {
            _members = Grow(_members, _memberCount);
        }

        _members[_memberCount++] = start;
        _members[_memberCount++] = valueStart;
        _members[_memberCount++] = end;
        _members[_memberCount++] = (int)kind;
    }

    private void BeginObject()
    {
        if (_frameCount + 3 > _frames.Length)
        {
            _frames = Grow(_frames, _frameCount);
        }

        _frames[_frameCount++] = _nameCount;
        _frames[_frameCount++] = _sideLength;
        _frames[_frameCount++] = ++_frameIds;
    }

    private void EndObject()
    {
        _frameCount -= 3;
        _nameCount = _frames[_frameCount];
        _sideLength = _frames[_frameCount + 1];
    }

    // Adds the current property name to the open object's names, refusing a duplicate; answers the name, unescaped.
    private ReadOnlySpan<byte> AddName()
    {
        int offset;
        int length;
        var inSide = 0;
        if (!_reader.ValueIsEscaped)
        {
            offset = (int)_reader.TokenStartIndex + 1;
            length = _reader.ValueSpan.Length;
        }
        else
        {
            var needed = _sideLength + _reader.ValueSpan.Length;
            if (_side is null || _side.Length < needed)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 256));
                _side?.AsSpan(0, _sideLength).CopyTo(larger);
                if (_side is not null)
                {
                    ArrayPool<byte>.Shared.Return(_side);
                }

                _side = larger;
            }

            offset = _sideLength;
            length = _reader.CopyString(_side.AsSpan(_sideLength));
            _sideLength += length;
            inSide = 1;
        }

        var name = NameAt(offset, length, inSide);
        var first = _frames[_frameCount - 3];
        var frame = _frames[_frameCount - 1];
        var count = (_nameCount - first) / 3;
        if (count < LinearNames)
        {
            for (var i = first; i < _nameCount; i += 3)
            {
                if (NameAt(_names[i], _names[i + 1], _names[i + 2]).SequenceEqual(name))
                {
                    throw Duplicate(name);
                }
            }
        }
        else
        {
            if (count == LinearNames)
            {
                _largeFrames ??= [];
                for (var i = first; i < _nameCount; i += 3)
                {
                    _largeFrames.Add((frame, Encoding.UTF8.GetString(NameAt(_names[i], _names[i + 1], _names[i + 2]))));
                }
            }

            if (!_largeFrames!.Add((frame, Encoding.UTF8.GetString(name))))
            {
                throw Duplicate(name);
            }
        }

        if (_nameCount + 3 > _names.Length)
        {
            _names = Grow(_names, _nameCount);
        }

        _names[_nameCount++] = offset;
        _names[_nameCount++] = length;
        _names[_nameCount++] = inSide;
        return name;
    }

    private readonly ReadOnlySpan<byte> NameAt(int offset, int length, int inSide) =>
        inSide == 0 ? _buffer.AsSpan(offset, length) : _side.AsSpan(offset, length);

    private static JsonException Duplicate(ReadOnlySpan<byte> name) =>
        new($"the property '{Encoding.UTF8.GetString(name)}' appears twice in one object.");

    private static int[] Grow(int[] array, int used)
    {
        var larger = ArrayPool<int>.Shared.Rent(array.Length * 2);
        array.AsSpan(0, used).CopyTo(larger);
        ArrayPool<int>.Shared.Return(array);
        return larger;
    }

    private readonly void ReturnScratch()
    {
        ArrayPool<int>.Shared.Return(_members);
        ArrayPool<int>.Shared.Return(_names);
        ArrayPool<int>.Shared.Return(_frames);
        if (_side is not null)
        {
            ArrayPool<byte>.Shared.Return(_side);
        }

        if (_bytes is not null)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
        }

        if (_chars is not null)
        {
            ArrayPool<char>.Shared.Return(_chars);
        }
    }

    private static Field FieldOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        1 when name.SequenceEqual("n"u8) => Field.N,
        4 when name.SequenceEqual("stop"u8) => Field.Stop,
        4 when name.SequenceEqual("seed"u8) => Field.Seed,
        4 when name.SequenceEqual("user"u8) => Field.User,
        5 when name.SequenceEqual("model"u8) => Field.Model,
        5 when name.SequenceEqual("top_p"u8) => Field.TopP,
        5 when name.SequenceEqual("tools"u8) => Field.Tools,
        5 when name.SequenceEqual("store"u8) => Field.Store,
        6 when name.SequenceEqual("stream"u8) => Field.Stream,
        8 when name.SequenceEqual("messages"u8) => Field.Messages,
        8 when name.SequenceEqual("logprobs"u8) => Field.Logprobs,
        8 when name.SequenceEqual("metadata"u8) => Field.Metadata,
        9 when name.SequenceEqual("verbosity"u8) => Field.Verbosity,
        10 when name.SequenceEqual("max_tokens"u8) => Field.MaxTokens,
        10 when name.SequenceEqual("logit_bias"u8) => Field.LogitBias,
        10 when name.SequenceEqual("modalities"u8) => Field.Modalities,
        11 when name.SequenceEqual("temperature"u8) => Field.Temperature,
        11 when name.SequenceEqual("tool_choice"u8) => Field.ToolChoice,
        12 when name.SequenceEqual("top_logprobs"u8) => Field.TopLogprobs,
        12 when name.SequenceEqual("service_tier"u8) => Field.ServiceTier,
        14 when name.SequenceEqual("stream_options"u8) => Field.StreamOptions,
        15 when name.SequenceEqual("response_format"u8) => Field.ResponseFormat,
        16 when name.SequenceEqual("presence_penalty"u8) => Field.PresencePenalty,
        16 when name.SequenceEqual("reasoning_effort"u8) => Field.ReasoningEffort,
        16 when name.SequenceEqual("prompt_cache_key"u8) => Field.PromptCacheKey,
        17 when name.SequenceEqual("frequency_penalty"u8) => Field.FrequencyPenalty,
        17 when name.SequenceEqual("safety_identifier"u8) => Field.SafetyIdentifier,
        19 when name.SequenceEqual("parallel_tool_calls"u8) => Field.ParallelToolCalls,
        21 when name.SequenceEqual("max_completion_tokens"u8) => Field.MaxCompletionTokens,
        _ => Field.Other,
    };

    private enum Field
    {
        Other,
        Model,
        Messages,
        MaxTokens,
        MaxCompletionTokens,
        N,
        TopLogprobs,
        Seed,
        Temperature,
        TopP,
        PresencePenalty,
        FrequencyPenalty,
        Stream,
        Logprobs,
        ParallelToolCalls,
        Store,
        StreamOptions,
        Stop,
        Tools,
        ToolChoice,
        ResponseFormat,
        User,
        LogitBias,
        Metadata,
        ServiceTier,
        ReasoningEffort,
        Verbosity,
        PromptCacheKey,
        SafetyIdentifier,
        Modalities,
    }

    private enum ContentProblem
    {
        None,
        NotStringOrParts,
        PartType,
        PartText,
    }
}
