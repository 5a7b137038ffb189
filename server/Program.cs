using Workforce.Server;

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkforceServer();

var app = builder.Build();
app.UseWorkforceDocs();
app.UseWorkforceServer();
app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
