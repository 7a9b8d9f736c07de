using Helix.Simulator;

// Standalone simulator for the load benchmark and manual use:
//   dotnet run --project src/Helix.Simulator -- --urls http://127.0.0.1:9090
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

// Per-request logging would dominate a load benchmark; start-up lines and problems are enough.
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

var app = builder.Build();
app.UseWebSockets();
app.MapSimulator(new SimulatorState());
await app.RunAsync();
