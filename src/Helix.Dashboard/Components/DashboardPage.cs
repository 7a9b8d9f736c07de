using Helix.Core.Principals;
using Helix.Dashboard.Accounts;
using Helix.Dashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Helix.Dashboard.Components;

/// <summary>A dashboard page: knows who is looking (their <see cref="Principal"/>) and reloads when the viewer's settings change.</summary>
/// <remarks>
/// <see cref="Can"/> decides which controls are enabled; the commands check the role again on the server. A page
/// with <see cref="LiveRefresh"/> reloads every <see cref="RefreshInterval"/> once interactive, so a call shows
/// within 2 s.
/// </remarks>
public abstract class DashboardPage : ComponentBase, IDisposable
{
    /// <summary>How often a live page reloads.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1.5);

    private PeriodicTimer? _timer;
    private bool _disposed;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The viewer's display settings.</summary>
    [Inject]
    protected ViewerSettings Viewer { get; set; } = default!;

    /// <summary>Who is looking.</summary>
    protected Principal Actor { get; private set; } = Principal.Anonymous;

    /// <summary>What the last load or action reported, if anything went wrong.</summary>
    protected string? Error { get; set; }

    /// <summary>Whether the page reloads on a timer.</summary>
    protected virtual bool LiveRefresh => false;

    /// <summary>Whether the viewer's role may do what <paramref name="access"/> names.</summary>
    protected bool Can(AdminAccess access) => DashboardCommands.Refuse(Actor, access) is null;

    /// <summary>Loads the page's data.</summary>
    protected abstract Task LoadAsync();

    /// <inheritdoc/>
    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            Actor = DashboardAuthentication.ToPrincipal((await AuthenticationState).User) ?? Principal.Anonymous;
        }

        Viewer.Changed += OnViewerChanged;
        await LoadAsync();
    }

    /// <inheritdoc/>
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && LiveRefresh)
        {
            _timer = new PeriodicTimer(RefreshInterval);
            _ = RefreshLoopAsync(_timer);
        }
    }

    /// <summary>Reloads and re-renders.</summary>
    protected async Task ReloadAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the timer and the settings subscription.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Viewer.Changed -= OnViewerChanged;
        _timer?.Dispose();
    }

    private void OnViewerChanged() => _ = InvokeAsync(ReloadAsync);

    private async Task RefreshLoopAsync(PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync())
        {
            await InvokeAsync(ReloadAsync);
        }
    }
}
