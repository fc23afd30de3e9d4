using System.Text.RegularExpressions;

namespace UniLink.Features.Labels;

public static partial class LabelRules
{
    [GeneratedRegex(@"^[\p{L}\p{N}_-]{1,255}$")]
    private static partial Regex Title();

    /// <summary>As the reference: letters, digits, '-' and '_' only (no spaces).</summary>
    public static bool IsValidTitle(string title) => Title().IsMatch(title);
}
