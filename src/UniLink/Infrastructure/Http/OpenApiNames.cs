using System.Text;
using Microsoft.AspNetCore.OpenApi;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// Readable operation names in <c>/openapi/v1.json</c>, derived from the route so that no endpoint is forgotten:
/// <c>GET …/conversations/{display_id}</c> is "Show a conversation" with the id <c>show-a-conversation</c>
/// (kebab-case, as the reference's own document names operations).
/// </summary>
public static class OpenApiNames
{
    /// <summary>Routes whose meaning the general rule cannot guess, keyed by verb and route without its prefix.</summary>
    private static readonly Dictionary<string, string> Special = new()
    {
        ["GET conversations/meta"] = "Count conversations by assignee",
        ["POST conversations/{}/assignments"] = "Assign a conversation",
        ["GET conversations/{}/labels"] = "List the labels of a conversation",
        ["POST conversations/{}/labels"] = "Set the labels of a conversation",
        ["POST conversations/{}/custom_attributes"] = "Set custom attributes of a conversation",
        ["GET contacts/search"] = "Search contacts",
        ["GET inbox_members/{}"] = "List the agents of an inbox",
        ["POST inbox_members"] = "Add agents to an inbox",
        ["PATCH inbox_members"] = "Replace the agents of an inbox",
        ["DELETE inbox_members"] = "Remove agents from an inbox",
        ["PATCH inbox_members/{}"] = "Replace the agents of an inbox (inbox in the path)",
        ["DELETE inbox_members/{}"] = "Remove agents from an inbox (inbox in the path)",
        ["POST conversations/{}/mute"] = "Mute a conversation",
        ["POST conversations/{}/unmute"] = "Unmute a conversation",
        ["POST conversations/{}/toggle_typing_status"] = "Set the typing status of a conversation",
        ["PATCH conversations/{}/messages/{}"] = "Update the delivery status of a message",
        ["POST contacts/{}/conversations/{}/toggle_status"] = "Resolve a conversation",
        ["POST contacts/{}/conversations/{}/toggle_typing"] = "Set the contact's typing status",
        ["POST contacts/{}/conversations/{}/update_last_seen"] = "Mark a conversation seen by the contact",
        ["PATCH contacts/{}/conversations/{}/messages/{}"] = "Submit values to a message",
        ["GET contacts/{}/labels"] = "List the labels of a contact",
        ["POST contacts/{}/labels"] = "Set the labels of a contact",
        ["GET teams/{}/team_members"] = "List the agents of a team",
        ["POST teams/{}/team_members"] = "Add agents to a team",
        ["PATCH teams/{}/team_members"] = "Replace the agents of a team",
        ["DELETE teams/{}/team_members"] = "Remove agents from a team",
        ["POST dashboard_apps/{}/secret"] = "Create a new signing secret for a dashboard app",
        ["PUT dashboard_apps/{}/permissions"] = "Set the permissions of a dashboard app",
        ["POST agents/{}/reset_password"] = "Reset the password of an agent",
        ["POST auth/sign_in"] = "Sign in",
        ["DELETE auth/sign_out"] = "Sign out (ends the sign-in token)",
        ["DELETE agents/{}/sessions"] = "Sign an agent out everywhere",
        ["POST contacts/{}/conversations"] = "Create a conversation for a contact",
        ["POST profile/reset_access_token"] = "Reset the access token of the profile",
        ["POST app/profile/reset_access_token"] = "Reset the access token (dashboard form)",
        ["POST app/profile/password"] = "Change the password (dashboard form)",
        ["POST app/logout"] = "Sign out of the dashboard",
        ["GET"] = "Open the dashboard",
    };

    public static OpenApiOptions AddReadableOperationNames(this OpenApiOptions options) =>
        options.AddOperationTransformer((operation, context, _) =>
        {
            var summary = Summary(context.Description.HttpMethod ?? "GET", "/" + context.Description.RelativePath);
            operation.Summary ??= summary;
            operation.OperationId ??= Kebab(summary);
            return Task.CompletedTask;
        });

    public static string Summary(string method, string path)
    {
        method = method.ToUpperInvariant();
        var (prefix, rest) = Split(path);
        var key = string.Join('/', rest.Select(s => s.StartsWith('{') ? "{}" : s));
        var summary = Special.TryGetValue($"{method} {key}".Trim(), out var special) ? special : ByRule(method, rest);
        return prefix + summary;
    }

    private static (string Prefix, string[] Segments) Split(string path)
    {
        string[] segments = path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (Starts(segments, "api", "v1", "accounts") && segments.Length == 4) return ("", ["account"]);
        if (Starts(segments, "api", "v1", "accounts") && segments.Length > 4) return ("", segments[4..]);
        if (Starts(segments, "public", "api", "v1", "inboxes") && segments.Length == 5) return ("Public API: ", ["inbox"]);
        if (Starts(segments, "public", "api", "v1", "inboxes") && segments.Length >= 5) return ("Public API: ", segments[5..]);
        if (Starts(segments, "api", "v1")) return ("", segments[2..]);
        return ("", segments);
    }

    private static bool Starts(string[] segments, params string[] prefix) =>
        segments.Length >= prefix.Length && prefix.Select((p, i) => segments[i] == p).All(x => x);

    private static string ByRule(string method, string[] segments)
    {
        // (name, followed by an id) pairs: conversations/{id}/messages → (conversations, true), (messages, false)
        var parts = new List<(string Name, bool WithId)>();
        foreach (var s in segments)
        {
            if (s.StartsWith('{') && parts.Count > 0) parts[^1] = (parts[^1].Name, true);
            else parts.Add((s, false));
        }
        if (parts.Count == 0) return $"{Verb(method)} {string.Join('/', segments)}".Trim();
        var (name, withId) = parts[^1];
        var owner = parts.Count > 1 ? parts[^2] : default;
        var of = owner.Name is null ? "" : owner.WithId ? $" of {Article(Singular(owner.Name))}" : $" of {Words(owner.Name)}";
        var isCollection = name.EndsWith('s') && !name.StartsWith("toggle_") && !name.StartsWith("update_");
        if (withId) return $"{Verb(method)} {Article(Singular(name))}{of}";
        if (parts.Count == 1 && !isCollection) return $"{Verb(method)} the {Words(name)}"; // profile, sign_in
        if (isCollection)
            return method switch
            {
                "GET" => $"List {Words(name)}{of}",
                "POST" => $"Create {Article(Singular(name))}{(owner.Name is null ? "" : $" in {Article(Singular(owner.Name))}")}",
                _ => $"{Verb(method)} {Words(name)}{of}",
            };
        return Capitalise($"{Words(name)}{of}"); // an action: toggle_status of a conversation
    }

    private static string Verb(string method) => method switch
    {
        "GET" => "Show",
        "POST" => "Create",
        "PATCH" => "Update",
        "PUT" => "Replace",
        "DELETE" => "Delete",
        _ => Capitalise(method.ToLowerInvariant()),
    };

    private static string Singular(string plural) => plural switch
    {
        "inboxes" => "inbox",
        _ when plural.EndsWith('s') => plural[..^1],
        _ => plural,
    };

    private static string Words(string name) => name.Replace('_', ' ');

    private static string Article(string singular)
    {
        var words = Words(singular);
        return ("aeiou".Contains(words[0]) ? "an " : "a ") + words;
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string Kebab(string summary)
    {
        var id = new StringBuilder();
        foreach (var c in summary.ToLowerInvariant())
            if (char.IsAsciiLetterOrDigit(c)) id.Append(c);
            else if (id.Length > 0 && id[^1] != '-') id.Append('-');
        return id.ToString().TrimEnd('-');
    }
}
