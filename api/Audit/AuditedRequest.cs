using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Workforce.Api.Auth;
using Workforce.Core;
using Workforce.Core.Audit;

namespace Workforce.Api.Audit;

/// <summary>
/// What the audit log keeps of a request, for both hosts: only state-changing methods, only requests whose key was
/// valid (a request without one belongs to no tenant; the rate limiter and the logs see those), and of the key only
/// its actor (<see cref="AuditEntry.TenantKeyActor"/>, an agent's id, or <c>admin</c>).
/// </summary>
public static partial class AuditedRequest
{
    public static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>The entry for a request answered with <paramref name="status"/>, or null when it is not audited.</summary>
    /// <param name="routeTemplate">The route the request matched, relative to <c>/api</c> (<see cref="ApiRoutes"/>) or with it.</param>
    public static AuditEntry? Describe(HttpContext context, string routeTemplate, int status, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(routeTemplate);
        if (!IsStateChanging(context.Request.Method) || Actor(context.User) is not { } actor)
        {
            return null;
        }

        return new AuditEntry(
            Guid.CreateVersion7(at).ToString("N"),
            actor.TenantId,
            at,
            actor.Name,
            context.Request.Method.ToUpperInvariant() + " " + Template(routeTemplate),
            Target(context),
            status,
            context.Connection.RemoteIpAddress?.ToString(),
            // What the problem details of the response call traceId, so a client's error report finds its entry.
            Activity.Current?.Id ?? context.TraceIdentifier,
            Activity.Current is { } activity ? activity.TraceId.ToHexString() : null);
    }

    /// <summary>The route without the <c>/api/</c> prefix and without constraints: <c>v1/tasks/{id}/cancel</c>.</summary>
    public static string Template(string routeTemplate)
    {
        ArgumentNullException.ThrowIfNull(routeTemplate);
        var relative = routeTemplate.TrimStart('/');
        if (relative.StartsWith(ApiRoutes.Prefix + "/", StringComparison.Ordinal))
        {
            relative = relative[(ApiRoutes.Prefix.Length + 1)..];
        }

        return Parameter().Replace(relative, "{$1}");
    }

    private static (string TenantId, string Name)? Actor(ClaimsPrincipal user)
    {
        if (user.IsInRole(CallerClaims.AdminRole))
        {
            return (AuditEntry.PlatformTenant, AuditEntry.AdminActor);
        }

        if (user.FindFirstValue(CallerClaims.TenantClaim) is not { } tenantId)
        {
            return null;
        }

        var caller = user.Caller();
        return caller.AgentId is { } agentId
            ? (tenantId, AuditEntry.AgentActor(agentId))
            : (tenantId, AuditEntry.TenantKeyActor(user.KeyId() ?? string.Empty));
    }

    /// <summary>The route values (<c>id=…</c>), or for a request that created something, where it now is.</summary>
    private static string? Target(HttpContext context)
    {
        var values = context.Request.RouteValues
            .Where(value => value.Value is not null)
            .OrderBy(value => value.Key, StringComparer.Ordinal)
            .Select(value => value.Key + "=" + Convert.ToString(value.Value, CultureInfo.InvariantCulture))
            .ToList();
        if (values.Count > 0)
        {
            return string.Join(',', values);
        }

        var location = context.Response.Headers.Location.ToString();
        if (location.Length == 0)
        {
            return null;
        }

        var path = Uri.TryCreate(location, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : location;
        return Template(path);
    }

    [GeneratedRegex(@"\{\**([^:}=?]+)[^}]*\}")]
    private static partial Regex Parameter();
}
