using Microsoft.Extensions.DependencyInjection;

namespace Workforce.Core.Messaging;

public static class MessagingServices
{
    /// <summary>The messaging use cases. The host adds <see cref="IMessageStore"/> and the value of <see cref="MessagingOptions"/>.</summary>
    public static IServiceCollection AddWorkforceMessaging(this IServiceCollection services)
    {
        services.AddSingleton<MessageAvailability>();
        services.AddSingleton<MessageDispatch>();
        services.AddSingleton<SendMessage>();
        services.AddSingleton<BroadcastMessage>();
        services.AddSingleton<ReceiveMessages>();
        services.AddSingleton<AcknowledgeMessage>();
        return services;
    }
}
