using PdfSharp.Drawing;
using PdfSharp.Fonts;

namespace Workforce.Reports.Pdf;

/// <summary>
/// The fonts of every PDF report: DejaVu Sans, regular and bold, embedded in this assembly (Fonts/, with its licence).
/// PDFsharp's Core build finds no fonts of its own on a machine without them — an Azure Functions worker or a slim
/// container may have none — and the resolvers it ships are for samples and tests (Segoe WP) or look in
/// /usr/share/fonts, so the reports bring their own and look the same everywhere. Any family asked for resolves to
/// DejaVu Sans; italic is simulated.
/// </summary>
internal sealed class ReportFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private static readonly Lock Registration = new();
    private static readonly ReportFonts Instance = new();

    private readonly Lazy<byte[]> _regular = new(() => Load(RegularFace));
    private readonly Lazy<byte[]> _bold = new(() => Load(BoldFace));

    private ReportFonts()
    {
    }

    /// <summary>
    /// Installs the resolver, once per process: PDFsharp keeps one global resolver, set before any font is used.
    /// If the host installed its own, ours becomes the fallback, which PDFsharp asks for what the host's cannot resolve.
    /// </summary>
    public static void EnsureRegistered()
    {
        lock (Registration)
        {
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
            else if (GlobalFontSettings.FontResolver != Instance && GlobalFontSettings.FallbackFontResolver is null)
            {
                GlobalFontSettings.FallbackFontResolver = Instance;
            }
        }
    }

    /// <summary>A font of the reports' family, the resolver installed first so that PDFsharp can find it.</summary>
    public static XFont Create(double size, bool bold = false)
    {
        EnsureRegistered();
        return new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[] GetFont(string faceName) => faceName switch
    {
        BoldFace => _bold.Value,
        _ => _regular.Value,
    };

    private static byte[] Load(string face)
    {
        var name = $"{typeof(ReportFonts).Namespace}.Fonts.{face}.ttf";
        using var stream = typeof(ReportFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font resource {name} is missing from {typeof(ReportFonts).Assembly.GetName().Name}.");
        using var bytes = new MemoryStream((int)stream.Length);
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
