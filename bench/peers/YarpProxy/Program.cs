// A bare reverse proxy: every request is forwarded unchanged to ReverseProxy:Clusters:upstream (the mock upstream
// of bench/peers/run.sh, given on the command line). No logic of its own, so it is the floor a .NET gateway stands on.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
var app = builder.Build();
app.MapReverseProxy();
app.Run();
