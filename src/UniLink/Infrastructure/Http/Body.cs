using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace UniLink.Infrastructure.Http;

/// <summary>A feature's typed input for one write, read from a request body (<see cref="Body{T}"/>).</summary>
public interface IBodyInput<TSelf> where TSelf : IBodyInput<TSelf>
{
    /// <summary>The key the reference nests the fields under (<c>{"label": {…}}</c>, read unwrapped too), or null.</summary>
    static abstract string? Wrapper { get; }

    /// <summary>The input, its field problems added to <paramref name="body"/>; <paramref name="creating"/> on POST.</summary>
    static abstract TSelf From(RequestBody body, bool creating);

    /// <summary>Whether a wrong-typed field is a 400 (sign-in, profile, agents, as the reference) rather than a 422.</summary>
    static virtual bool StrictTypes => false;
}

/// <summary>
/// A handler's parameter that reads the request body leniently (<see cref="RequestBody"/>), unwraps it and turns it into
/// the feature's typed input: <c>body.Error ?? (await service.CreateAsync(…, body.Input, ct)).ToHttp(…)</c>.
/// <see cref="Error"/> is the 400 of an unreadable body or the 422 naming every field's problem.
/// </summary>
public sealed class Body<T> : IEndpointParameterMetadataProvider where T : IBodyInput<T>
{
    private readonly IResult? _unreadable;

    private Body(RequestBody? fields, T? input, IResult? unreadable)
    {
        Fields = fields;
        Input = input!;
        _unreadable = unreadable;
    }

    /// <summary>The typed input; only meaningful when <see cref="Error"/> is null.</summary>
    public T Input { get; }

    /// <summary>The (unwrapped) fields; null when the body could not be read.</summary>
    public RequestBody? Fields { get; }

    public IResult? Error => _unreadable ?? Fields!.Error;

    /// <summary>The 400 of a body that could not be read (malformed JSON, too large), for a route that answers it before other checks.</summary>
    public IResult? Unreadable => _unreadable;

    /// <summary>As <see cref="Error"/>, and the reference's 422 for an empty body, which it requires (<c>params.require</c>).</summary>
    public IResult? ErrorOrMissing => _unreadable ?? (Fields!.IsEmpty ? ApiErrors.MissingParam(T.Wrapper!) : Fields.Error);

    public static async ValueTask<Body<T>> BindAsync(HttpContext http, ParameterInfo parameter)
    {
        var (raw, bad) = await RequestBody.ReadAsync(http.Request);
        if (bad is not null) return new Body<T>(null, default, bad);
        var fields = T.Wrapper is { } wrapper ? raw!.Unwrap(wrapper) : raw!;
        if (T.StrictTypes) fields.WithStrictTypes();
        return new Body<T>(fields, T.From(fields, creating: HttpMethods.IsPost(http.Request.Method)), null);
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => ApiAnswers.AddBodyErrors(builder.Metadata);
}
