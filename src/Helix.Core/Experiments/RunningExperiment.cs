using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Helix.Core.Routing;

namespace Helix.Core.Experiments;

/// <summary>A running experiment as the request path sees it: arms with their traffic buckets and their routes.</summary>
/// <remarks>
/// Thread-safe. A caller lands in one of 10,000 buckets by a stable hash (SHA-256) of the experiment id and the caller's
/// key (the end user, or the request id when there is none), so a user keeps their arm for the experiment's life, and
/// two experiments split users independently. Each arm memoises its route for the route decision it last saw, so a call
/// allocates nothing once the route is stable.
/// </remarks>
public sealed class RunningExperiment
{
    /// <summary>Traffic is split in this many buckets.</summary>
    public const int Buckets = 10_000;

    private readonly ArmState[] _arms;
    private readonly int[] _upperBuckets;
    private readonly byte[] _salt;

    /// <summary>Prepares <paramref name="config"/> for the request path.</summary>
    public RunningExperiment(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _salt = Encoding.UTF8.GetBytes(config.Id + ":");
        _arms = [.. config.Arms.Select(a => new ArmState(a, new ExperimentAssignment(config.Id, a.Name)))];
        _upperBuckets = new int[_arms.Length];
        var cumulative = 0m;
        for (var i = 0; i < _arms.Length; i++)
        {
            cumulative += config.Arms[i].Share;
            _upperBuckets[i] = i == _arms.Length - 1 ? Buckets : (int)Math.Round(cumulative * Buckets, MidpointRounding.ToEven);
        }
    }

    /// <summary>The experiment.</summary>
    public ExperimentConfig Config { get; }

    /// <summary>The bucket (0 to 9,999) of a caller's key.</summary>
    public int BucketOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = _salt.Length + Encoding.UTF8.GetMaxByteCount(key.Length);
        var rented = length <= 512 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> input = rented ?? stackalloc byte[512];
            _salt.CopyTo(input);
            var written = _salt.Length + Encoding.UTF8.GetBytes(key, input[_salt.Length..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(input[..written], hash);
            return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The arm of the caller with <paramref name="key"/>.</summary>
    public ExperimentArm ArmOf(string key) => _arms[IndexOf(BucketOf(key))].Arm;

    /// <summary>Assigns a call and gives its route: the arm's model first, then the route's fallbacks without it.</summary>
    /// <param name="key">The end user, or the request id.</param>
    /// <param name="decision">The operation's route.</param>
    /// <param name="models">The model catalog in force.</param>
    /// <param name="assignment">The experiment and arm of the call.</param>
    /// <returns>The route the call takes.</returns>
    public RouteDecision Assign(string key, RouteDecision decision, IReadOnlyDictionary<string, ModelConfig> models, out ExperimentAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(models);
        var arm = _arms[IndexOf(BucketOf(key))];
        assignment = arm.Assignment;
        return arm.RouteFor(decision, models);
    }

    private int IndexOf(int bucket)
    {
        for (var i = 0; i < _upperBuckets.Length; i++)
        {
            if (bucket < _upperBuckets[i])
            {
                return i;
            }
        }

        return _upperBuckets.Length - 1;
    }

    private sealed class ArmState(ExperimentArm arm, ExperimentAssignment assignment)
    {
        private Memo? _memo;

        public ExperimentArm Arm { get; } = arm;

        public ExperimentAssignment Assignment { get; } = assignment;

        public RouteDecision RouteFor(RouteDecision decision, IReadOnlyDictionary<string, ModelConfig> models)
        {
            var memo = Volatile.Read(ref _memo);
            if (memo is not null && ReferenceEquals(memo.Source, decision))
            {
                return memo.Result;
            }

            RouteDecision result;
            if (string.Equals(decision.Targets[0].Id, Arm.Model, StringComparison.OrdinalIgnoreCase) || !models.TryGetValue(Arm.Model, out var model))
            {
                // The arm is the route's own primary, or its model left the catalog: the route serves the call as it is.
                result = decision;
            }
            else
            {
                var fallbacks = decision.Targets.Skip(1).Where(t => !string.Equals(t.Id, model.Id, StringComparison.OrdinalIgnoreCase)).ToImmutableArray();
                result = new RouteDecision(
                    decision.Route with { PrimaryModel = model.Id, FallbackModels = [.. fallbacks.Select(t => t.Id)] },
                    [model, .. fallbacks]);
            }

            Volatile.Write(ref _memo, new Memo(decision, result));
            return result;
        }

        private sealed record Memo(RouteDecision Source, RouteDecision Result);
    }
}
