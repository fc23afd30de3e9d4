namespace UniLink.Infrastructure.Http;

/// <summary>
/// What a feature service's write came to: done with its value, refused (one or more problems, each naming its field:
/// the reference's 422), or no such record in the account (404). Services return it; endpoints turn it into HTTP with
/// <see cref="WriteResultHttp.ToHttp{T, TJson}"/> and pages show <see cref="Rejected.Message"/> beside the field.
/// </summary>
public abstract record WriteResult<T>
{
    public sealed record Done(T Value) : WriteResult<T>;

    /// <summary>Refused for every one of <paramref name="Problems"/> (at least one).</summary>
    public sealed record Rejected(IReadOnlyList<WriteProblem> Problems) : WriteResult<T>
    {
        /// <summary>Every problem in one sentence, as the reference's 422 <c>message</c> joins them.</summary>
        public string Message => string.Join(", ", Problems.Select(p => p.Message));

        /// <summary>The first problem's field.</summary>
        public string Field => Problems[0].Field;

        /// <summary>The fields named, each once: the 422's <c>attributes</c>.</summary>
        public string[] Fields => Problems.Select(p => p.Field).Distinct().ToArray();
    }

    public sealed record Missing : WriteResult<T>;

    public static implicit operator WriteResult<T>(T value) => new Done(value);

    public static implicit operator WriteResult<T>(WriteProblem problem) => new Rejected([problem]);
}

/// <summary>A refusal before its result type is known: <c>return new WriteProblem("Title has already been taken", "title");</c></summary>
public sealed record WriteProblem(string Message, string Field)
{
    /// <summary>A problem worded as the reference words a field's: "Inbox ids 7 is not an inbox …" for (<c>inbox_ids</c>, "7 is not …").</summary>
    public static WriteProblem Of(string field, string problem) => new($"{RequestBody.Humanize(field)} {problem}", field);
}

public static class WriteResultHttp
{
    /// <summary>Done: the value as its wire record; refused: 422 naming the field; missing: the reference's 404.</summary>
    public static IResult ToHttp<T, TJson>(this WriteResult<T> result, Func<T, TJson> toJson) => result switch
    {
        WriteResult<T>.Done done => TypedResults.Json(toJson(done.Value), WireJson.Options),
        WriteResult<T>.Rejected rejected => ApiErrors.Invalid(rejected.Message, rejected.Fields),
        _ => ApiErrors.NotFound(),
    };

    /// <summary>As <see cref="ToHttp{T, TJson}"/>, for a wire record that needs a read (senders, roles, attachments).</summary>
    public static async Task<IResult> ToHttpAsync<T, TJson>(this WriteResult<T> result, Func<T, Task<TJson>> toJson) => result switch
    {
        WriteResult<T>.Done done => TypedResults.Json(await toJson(done.Value), WireJson.Options),
        WriteResult<T>.Rejected rejected => ApiErrors.Invalid(rejected.Message, rejected.Fields),
        _ => ApiErrors.NotFound(),
    };

    /// <summary>Done: an empty body with <paramref name="status"/> (a delete: the reference's <c>head :ok</c>, or 204); else as <see cref="ToHttp{T, TJson}"/>.</summary>
    public static IResult ToEmptyHttp<T>(this WriteResult<T> result, int status = StatusCodes.Status200OK) => result switch
    {
        WriteResult<T>.Done => TypedResults.StatusCode(status),
        WriteResult<T>.Rejected rejected => ApiErrors.Invalid(rejected.Message, rejected.Fields),
        _ => ApiErrors.NotFound(),
    };

    /// <summary>A record read in the account as its wire record, or the reference's 404 when there is none.</summary>
    public static IResult OrNotFound<T, TJson>(this T? found, Func<T, TJson> toJson) where T : class =>
        found is null ? ApiErrors.NotFound() : TypedResults.Json(toJson(found), WireJson.Options);
}
