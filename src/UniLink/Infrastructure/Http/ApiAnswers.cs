using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace UniLink.Infrastructure.Http;

/// <summary>
/// What a route answers, declared on the route for the OpenAPI document: handlers return <see cref="IResult"/> (their
/// answers are written with <see cref="WireJson.Options"/>), so the body's type is stated beside the route's name.
/// </summary>
public static class ApiAnswers
{
    /// <summary>The description of a success answer without a body (the reference's <c>head :ok</c>).</summary>
    public const string EmptyBody = "No body";

    /// <summary>The route answers <typeparamref name="T"/> as JSON with <paramref name="status"/>.</summary>
    public static IEndpointConventionBuilder Answers<T>(this IEndpointConventionBuilder builder, int status = StatusCodes.Status200OK) =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(T), ["application/json"]));

    /// <summary>
    /// The route answers 200 with <typeparamref name="T1"/> or <typeparamref name="T2"/> as JSON, or with JSON <c>null</c> when
    /// <paramref name="orNull"/> (the reference's <c>render json: nil</c>): the document's schema is their <c>oneOf</c>.
    /// </summary>
    public static IEndpointConventionBuilder AnswersOneOf<T1, T2>(this IEndpointConventionBuilder builder, bool orNull = false) =>
        builder.Answers<T1>().WithMetadata(new OneOfAnswer(StatusCodes.Status200OK, [typeof(T2)], orNull));

    /// <summary>The route answers <paramref name="status"/> with an empty body.</summary>
    public static IEndpointConventionBuilder AnswersEmpty(this IEndpointConventionBuilder builder, int status = StatusCodes.Status200OK) =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(void)), new EmptyAnswer(status));

    /// <summary>
    /// What the routes declare beyond one type per status: "No body" for <see cref="AnswersEmpty"/>'s answers (the generator
    /// would say "OK", as for an undeclared one) and the <c>oneOf</c> of <see cref="AnswersOneOf{T1, T2}"/>.
    /// </summary>
    public static OpenApiOptions DescribeAnswers(this OpenApiOptions options) => options.AddOperationTransformer(async (operation, context, ct) =>
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        foreach (var empty in metadata.OfType<EmptyAnswer>())
            if (Declared(operation, empty.Status) is { } declared)
                declared.Description = EmptyBody;
        foreach (var oneOf in metadata.OfType<OneOfAnswer>())
        {
            if (Declared(operation, oneOf.Status)?.Content?.TryGetValue("application/json", out var media) != true || media!.Schema is not { } first) continue;
            List<IOpenApiSchema> schemas = [first];
            foreach (var type in oneOf.Others) schemas.Add(await ReferenceAsync(type, context, ct));
            if (oneOf.OrNull) schemas.Add(new OpenApiSchema { Type = JsonSchemaType.Null });
            media.Schema = new OpenApiSchema { OneOf = schemas };
        }
    });

    /// <summary>The type's schema as a reference to the document's component, as the generator writes a declared answer's.</summary>
    private static async Task<IOpenApiSchema> ReferenceAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
        if (context.Document is not { } document) return schema;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true) document.AddComponent(type.Name, schema);
        return new OpenApiSchemaReference(type.Name, document);
    }

    private static OpenApiResponse? Declared(OpenApiOperation operation, int status) =>
        operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
            ? response as OpenApiResponse : null;

    private sealed record OneOfAnswer(int Status, Type[] Others, bool OrNull);

    private sealed record EmptyAnswer(int Status);

    /// <summary>The route answers a file's bytes (200, or 206 for a byte range).</summary>
    public static IEndpointConventionBuilder AnswersFile(this IEndpointConventionBuilder builder) => builder
        .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), ["application/octet-stream"]))
        .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status206PartialContent, typeof(Stream), ["application/octet-stream"]));

    /// <summary>
    /// PATCH and PUT of one resource to one handler (the reference routes both to its update): the PUT is named as the
    /// PATCH with "update" made "replace", and summarised "(as PATCH)". Conventions added to the answer apply to both.
    /// </summary>
    public static IEndpointConventionBuilder MapPatchAndPut(this IEndpointRouteBuilder routes, string pattern, Delegate handler, string name, string summary) =>
        new Both(
            routes.MapPatch(pattern, handler).WithName(name).WithSummary(summary),
            routes.MapPut(pattern, handler).WithName(name.Replace("update-", "replace-", StringComparison.Ordinal)).WithSummary($"{summary} (as PATCH)"));

    private sealed class Both(params IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders) builder.Add(convention);
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders) builder.Finally(finallyConvention);
        }
    }

    internal static void AddBodyErrors(IList<object> metadata)
    {
        metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ErrorJson), ["application/json"]));
        metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status422UnprocessableEntity, typeof(InvalidJson), ["application/json"]));
    }
}

/// <summary>The reference's error body: <c>{"error": "…"}</c>.</summary>
public sealed record ErrorJson(string Error);

/// <summary>The reference's validation failure: <c>{"message": "…", "attributes": ["field"]}</c>.</summary>
public sealed record InvalidJson(string Message, string[] Attributes);

/// <summary>The reference's list envelope: <c>{"payload": […]}</c>.</summary>
public sealed record PayloadJson<T>(IEnumerable<T> Payload);

/// <summary>The reference's envelope of one record: <c>{"payload": {…}}</c>.</summary>
public sealed record SinglePayloadJson<T>(T Payload);
