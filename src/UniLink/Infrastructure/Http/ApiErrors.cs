namespace UniLink.Infrastructure.Http;

/// <summary>The reference's error bodies, defined once.</summary>
public static class ApiErrors
{
    public static IResult NotFound() =>
        TypedResults.Json(new ErrorJson("Resource could not be found"), WireJson.Options, statusCode: 404);

    public static IResult SignInRequired() =>
        TypedResults.Json(new { errors = new[] { "You need to sign in or sign up before continuing." } }, WireJson.Options, statusCode: 401);

    public static IResult InvalidAccessToken() =>
        TypedResults.Json(new ErrorJson("Invalid Access Token"), WireJson.Options, statusCode: 401);

    public static IResult BotsNotAllowed() =>
        TypedResults.Json(new ErrorJson("Access to this endpoint is not authorized for bots"), WireJson.Options, statusCode: 401);

    public static IResult NotAccountMember() =>
        TypedResults.Json(new ErrorJson("You are not authorized to access this account"), WireJson.Options, statusCode: 401);

    /// <summary>The account was suspended by the operator (a platform app's <c>status</c>): its members and bots are kept out.</summary>
    public static IResult AccountSuspended() =>
        TypedResults.Json(new ErrorJson("This account is suspended"), WireJson.Options, statusCode: 401);

    public static IResult NotAllowed() =>
        TypedResults.Json(new ErrorJson("You are not authorized to do this action"), WireJson.Options, statusCode: 401);

    /// <summary>422 <c>{"message": "...", "attributes": [...]}</c>, the reference's validation failure.</summary>
    public static IResult Invalid(string message, params string[] attributes) =>
        TypedResults.Json(new InvalidJson(message, attributes), WireJson.Options, statusCode: 422);

    /// <summary>422 <c>{"error": "param is missing or the value is empty: X"}</c>.</summary>
    public static IResult MissingParam(string name) =>
        TypedResults.Json(new ErrorJson($"param is missing or the value is empty: {name}"), WireJson.Options, statusCode: 422);

    /// <summary>400 for bodies that are not what the endpoint reads (malformed JSON, wrong types).</summary>
    public static IResult BadRequest(string error) =>
        TypedResults.Json(new ErrorJson(error), WireJson.Options, statusCode: 400);
}
