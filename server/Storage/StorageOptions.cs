using System.ComponentModel.DataAnnotations;

namespace Workforce.Server.Storage;

/// <summary>Which storage holds the platform's data. Bound from <c>Workforce:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Workforce:Storage";

    public const string Sqlite = "sqlite";
    public const string Azure = "azure";

    /// <summary>
    /// <c>sqlite</c>: the embedded database and local files (<c>Workforce:Storage:Sqlite</c>). <c>azure</c>: Azure
    /// Tables, Queues and Blobs (<c>Workforce:Storage:ConnectionString</c> or <c>Workforce:Storage:AccountName</c>).
    /// </summary>
    [RegularExpression("^(sqlite|azure)$", ErrorMessage = "Workforce:Storage:Provider must be sqlite or azure.")]
    public string Provider { get; set; } = Sqlite;
}
