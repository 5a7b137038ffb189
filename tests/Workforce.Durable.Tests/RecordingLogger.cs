using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Workforce.Durable.Tests;

/// <summary>Keeps warnings and errors, so a failing test can show what the engine complained about.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Entries.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
