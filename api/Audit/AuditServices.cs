using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workforce.Core.Audit;

namespace Workforce.Api.Audit;

public static class AuditServices
{
    /// <summary>The audit log's options, its query, and the recorder with the flushing that writes what it takes.</summary>
    public static IServiceCollection AddWorkforceAudit(this IServiceCollection services)
    {
        services.AddValidatedOptions<AuditOptions>(AuditOptions.Section);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AuditOptions>>().Value);
        services.AddSingleton<QueryAuditLog>();
        services.AddSingleton<AuditRecorder>();
        services.AddHostedService<AuditFlushing>();
        return services;
    }
}
