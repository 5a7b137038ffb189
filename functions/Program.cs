using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Workforce.Functions;
using Workforce.Functions.Workflows;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<DurableClientBinding>();
builder.Services.AddWorkforceFunctions(builder.Configuration);
builder.Build().Run();
