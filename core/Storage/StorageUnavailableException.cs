namespace Workforce.Core.Storage;

/// <summary>The storage cannot be opened or reached: a file that cannot be created, a service that does not answer.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
