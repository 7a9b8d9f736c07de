using System.Text;
using Microsoft.Extensions.AI;

namespace Helix.Core.ChatClients;

/// <summary>Collects the fragments of the tool calls of one chat stream until the stream ends.</summary>
/// <remarks>
/// OpenAI streams a tool call as pieces keyed by <c>index</c>: the first names its id and function, the rest carry
/// slices of its JSON arguments, which parse only once whole. A fragment without an index starts a new call. Not
/// thread-safe, like the stream it belongs to.
/// </remarks>
internal sealed class StreamedToolCalls
{
    private readonly SortedDictionary<int, Call> _calls = [];

    /// <summary>How many calls were started.</summary>
    public int Count => _calls.Count;

    /// <summary>Adds one fragment.</summary>
    public void Add(int? index, string? callId, string? name, string? arguments)
    {
        var key = index ?? (_calls.Count == 0 ? 0 : _calls.Keys.Max() + 1);
        if (!_calls.TryGetValue(key, out var call))
        {
            _calls[key] = call = new Call();
        }

        call.Id ??= callId;
        call.Name ??= name;
        call.Arguments.Append(arguments);
    }

    /// <summary>The calls, in index order, with their arguments parsed.</summary>
    public List<AIContent> ToContents() =>
        [.. _calls.Values.Select(c => (AIContent)OpenAIChatWire.FunctionCall(c.Id, c.Name, c.Arguments.ToString()))];

    private sealed class Call
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}
