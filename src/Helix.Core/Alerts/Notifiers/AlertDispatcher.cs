using System.Net;
using System.Net.Http.Headers;
using Helix.Core.Budgets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Helix.Core.Alerts.Notifiers;

/// <summary>Stores queued alerts and delivers the outbox to the notifiers, in the background, never on a call's path.</summary>
/// <remarks>
/// <para>
/// Storing an alert queues one outbox row per notifier in the same transaction; a duplicate (its dedupe key still
/// open, or a budget threshold already fired this period) is dropped by the store, so each fires once. Delivery
/// reads due rows, posts each with a Polly pipeline (a 10-second timeout per try, three quick retries with
/// exponential backoff and jitter on network errors, timeouts, 429 and 5xx), and marks it delivered; a row that
/// still fails stays in the outbox with its next try pushed back (doubling from
/// <see cref="BudgetsOptions.DeliveryRetryDelay"/> up to 10 minutes), so a receiver that is down, or a restart,
/// loses nothing.
/// </para>
/// <para>All waits run on the injected <see cref="TimeProvider"/>. Owns its HttpClient.</para>
/// </remarks>
public sealed partial class AlertDispatcher : BackgroundService
{
    private const int BatchSize = 64;
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromMinutes(10);

    private readonly AlertCenter _center;
    private readonly IAlertStore _store;
    private readonly TimeProvider _time;
    private readonly BudgetsOptions _options;
    private readonly ILogger<AlertDispatcher> _logger;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _delivery;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    public AlertDispatcher(AlertCenter center, IAlertStore store, TimeProvider time, IOptions<BudgetsOptions> options, ILogger<AlertDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(center);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _center = center;
        _store = store;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = Timeout.InfiniteTimeSpan };
        _delivery = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(10))
            .Build();
    }

    /// <summary>Posts one alert to one notifier now (the admin API's test), with the same retries.</summary>
    /// <returns><see langword="null"/> when delivered; else why not.</returns>
    public async Task<string?> SendAsync(NotifierConfig notifier, AlertRecord alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(alert);
        var body = NotifierPayloads.Body(notifier.Kind, alert);
        try
        {
            using var response = await _delivery.ExecuteAsync(async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, notifier.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                if (notifier.Kind == NotifierKind.Webhook && !string.IsNullOrEmpty(notifier.Secret))
                {
                    request.Headers.TryAddWithoutValidation(NotifierPayloads.SignatureHeader, NotifierPayloads.Sign(body, notifier.Secret));
                }

                return await _http.SendAsync(request, ct);
            }, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            return ex.Message;
        }
    }

    /// <summary>Wakes the delivery loop (an alert was stored, or a notifier added).</summary>
    public void Wake() => _wake.Release();

    /// <inheritdoc/>
    public override void Dispose()
    {
        base.Dispose();
        _http.Dispose();
        _wake.Dispose();
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(StoreLoopAsync(stoppingToken), DeliverLoopAsync(stoppingToken));

    private async Task StoreLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var alert in _center.Pending.ReadAllAsync(stoppingToken))
            {
                try
                {
                    if (await _store.TryAddAsync(alert, stoppingToken) is not null)
                    {
                        _wake.Release();
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogStoreFailed(_logger, ex, alert.Type);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await _store.GetDueAsync(_time.GetUtcNow(), BatchSize, stoppingToken);
                foreach (var message in due)
                {
                    var error = await SendAsync(message.Notifier, message.Alert, stoppingToken);
                    if (error is null)
                    {
                        await _store.MarkDeliveredAsync(message.Id, _time.GetUtcNow(), stoppingToken);
                        continue;
                    }

                    var wait = TimeSpan.FromTicks(Math.Min(s_maxRetryDelay.Ticks, _options.DeliveryRetryDelay.Ticks << Math.Min(message.Attempts, 20)));
                    LogDeliveryFailed(_logger, message.Alert.Id, message.Notifier.Name, message.Attempts + 1, error, wait);
                    await _store.MarkFailedAsync(message.Id, error, _time.GetUtcNow() + wait, stoppingToken);
                }

                if (due.Count == BatchSize)
                {
                    continue;
                }

                using var poll = new CancellationTokenSource(_options.OutboxPollInterval, _time);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(poll.Token, stoppingToken);
                try
                {
                    await _wake.WaitAsync(either.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The poll interval passed: look for deliveries due again.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogOutboxFailed(_logger, ex);
                await Task.Delay(_options.OutboxPollInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing a {Type} alert failed; it is logged but not stored.")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering alert {AlertId} to notifier {Notifier} failed (try {Attempt}): {Error}; next try in {Wait}.")]
    private static partial void LogDeliveryFailed(ILogger logger, long alertId, string notifier, int attempt, string error, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the alert outbox failed; trying again shortly.")]
    private static partial void LogOutboxFailed(ILogger logger, Exception exception);
}
